import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { comparePositions, parsePosition, type EventPosition, type EventRecord } from '../../../chain/index.js';
import { approvalRequested, OPERATIONS, operationRejected, SCHEDULED_EFFECTS, transactionRejected } from '../../../core/index.js';
import type { CommittedBlock } from '../../committed-block.js';
import { LedgerError } from '../../errors.js';
import type { Ledger } from '../../ledger.js';
import { eventView } from '../../views.js';
import { canSeeEvent } from '../../visibility.js';
import { viewerOf } from '../auth.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../schemas.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/** Every domain event type the ledger emits (the registry's). */
export const EVENT_TYPES: ReadonlySet<string> = new Set([
  ...OPERATIONS.flatMap((definition) => definition.events.map((event) => event.type)),
  ...SCHEDULED_EFFECTS.flatMap((effect) => effect.events.map((event) => event.type)),
  transactionRejected.type, operationRejected.type, approvalRequested.type,
]);

function typesOf(text: string | undefined): ReadonlySet<string> | null {
  if (text === undefined || text === '') return null;
  const types = text.split(',');
  const unknown = types.find((type) => !EVENT_TYPES.has(type));
  if (unknown !== undefined) throw new LedgerError('invalid_request', `no event type "${unknown}"; known: ${[...EVENT_TYPES].join(', ')}`, 'types');
  return new Set(types);
}

const Query = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 40, description: 'a position "height:index:n": events strictly after it' })),
  types: Type.Optional(Type.String({ maxLength: 2000, description: 'comma-separated event types' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })),
}, { additionalProperties: false });

export const eventRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  // Streams never finish by themselves; closing the server ends them so shutdown is not held up.
  const open = new Set<{ end: () => void }>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });

  app.get('/v1/events', {
    schema: {
      summary: 'Domain events the caller may see, in chain order: a page after a position, or (Accept: text/event-stream) a live stream that resumes after Last-Event-ID',
      querystring: Query,
    },
  }, async (request, reply) => {
    const viewer = viewerOf(request);
    const types = typesOf(request.query.types);
    if (!(request.headers.accept ?? '').includes('text/event-stream')) {
      return ledger.queries.events(viewer, request.query.after, types, request.query.limit ?? PAGE_LIMIT_DEFAULT);
    }
    const resumeFrom = (request.headers['last-event-id'] as string | undefined) ?? request.query.after;
    const start = resumeFrom === undefined ? null : parsePosition(resumeFrom);
    if (resumeFrom !== undefined && start === null) throw new LedgerError('invalid_request', 'Last-Event-ID (or after) is a position "height:index:n"', 'last-event-id');

    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': request.id });
    const sendEvent = (event: EventRecord): void => void out.write(`id: ${event.height}:${event.index}:${event.n}\nevent: ${event.type}\ndata: ${JSON.stringify(eventView(event))}\n\n`);
    const shows = (event: EventRecord): boolean => (types === null || types.has(event.type)) && canSeeEvent(viewer, event, ledger.state);

    // Live blocks are taken as they come and held until the stored history has been sent,
    // then sent after the last position already sent: no event twice, none missed.
    const pending: CommittedBlock[] = [];
    let cursor: EventPosition | null = start;
    let live = false;
    const onBlock = (committed: CommittedBlock): void => {
      if (!live) return void pending.push(committed);
      deliver(committed);
    };
    const deliver = (committed: CommittedBlock): void => {
      out.write(`event: block\ndata: ${JSON.stringify({ height: committed.block.header.height, hash: committed.block.hash, timeMs: committed.block.header.timestampMs })}\n\n`);
      for (const event of committed.records?.events ?? []) {
        if (cursor !== null && comparePositions(event, cursor) <= 0) continue;
        cursor = event;
        if (shows(event)) sendEvent(event);
      }
    };
    const heartbeat = setInterval(() => out.write(': heartbeat\n\n'), HEARTBEAT_MS);
    ledger.on('block', onBlock);
    open.add(out);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      ledger.off('block', onBlock);
      open.delete(out);
    });
    out.write(`event: ready\ndata: ${JSON.stringify({ height: ledger.engine.head?.header.height ?? 0 })}\n\n`);
    if (start !== null) {
      for (let page = await ledger.store.events(cursor, 500); page.length > 0; page = await ledger.store.events(cursor, 500)) {
        for (const event of page) {
          cursor = event;
          if (shows(event)) sendEvent(event);
        }
      }
    }
    live = true;
    for (const committed of pending.splice(0)) deliver(committed);
  });
};
