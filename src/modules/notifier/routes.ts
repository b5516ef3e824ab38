import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { Type } from 'typebox';
import { ApiError } from '../../node/api/errors.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import { recordAttempt, send, type DeliveryOptions } from './delivery.js';
import type { EndpointCache } from './endpoints.js';
import type { AttemptRow, DeliveryRow, EndpointRow } from './tables.js';
import { AttemptView, attemptView, DeliveryView, deliveryView, EndpointView, endpointView } from './views.js';

const closed = { additionalProperties: false } as const;
const EventType = Type.String({ pattern: '^[a-z][a-z_]{0,63}$' });
const URL_CHARS_MAX = 2000;
/** Endpoints one participant may register: enough for every system it runs, few enough to bound the fan-out. */
const ENDPOINTS_PER_OWNER_MAX = 16;

const CreateBody = Type.Object({
  url: Type.String({ minLength: 8, maxLength: URL_CHARS_MAX, pattern: '^https?://', description: 'where deliveries are POSTed' }),
  types: Type.Optional(Type.Array(EventType, { maxItems: 64, uniqueItems: true, description: 'event types to deliver; absent or empty: every type' })),
}, closed);
const ById = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) }, closed);
const DeliveriesQuery = Type.Object({
  status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })),
}, closed);

function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new LedgerError('invalid_request', 'url is not an absolute URL', 'body.url');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new LedgerError('invalid_request', 'url must be http or https', 'body.url');
  if (url.username !== '' || url.password !== '') throw new LedgerError('invalid_request', 'url must not carry credentials; deliveries are signed instead', 'body.url');
  return url.toString();
}

/** The secret is shown once, at creation; it signs every delivery (see sdk/webhooks.ts). */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function notifierRoutes(services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, options: DeliveryOptions, endpoints: EndpointCache): FastifyPluginAsyncTypebox {
  const { db, nowMs } = services;

  /** The caller's endpoint (or any, for an overseer); another's is as absent as an unknown one. */
  async function endpointFor(caller: Caller, id: string): Promise<EndpointRow> {
    const endpoint = await db.selectFrom('notifier_endpoints').selectAll().where('id', '=', id).executeTakeFirst() as EndpointRow | undefined;
    if (endpoint === undefined || (!caller.seesAll && endpoint.owner !== caller.participant)) throw new ApiError('resource_not_found', `no webhook endpoint ${id}`, 'id');
    return endpoint;
  }

  async function deliveryFor(caller: Caller, id: string): Promise<{ delivery: DeliveryRow; endpoint: EndpointRow }> {
    const delivery = await db.selectFrom('notifier_deliveries').selectAll().where('id', '=', id).executeTakeFirst() as DeliveryRow | undefined;
    const endpoint = delivery === undefined ? undefined : await endpointFor(caller, delivery.endpoint_id).catch(() => undefined);
    if (delivery === undefined || endpoint === undefined) throw new ApiError('resource_not_found', `no delivery ${id}`, 'id');
    return { delivery, endpoint };
  }

  const attemptsOf = async (id: string): Promise<AttemptRow[]> =>
    await db.selectFrom('notifier_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute() as AttemptRow[];

  return async (app) => {
    app.post('/endpoints', {
      config: { singleUse: true },
      schema: {
        summary: 'Register a webhook endpoint: events the caller may see, of the given types, are POSTed to it, signed with the secret returned (once) here',
        tags: ['webhooks'], operationId: 'createWebhookEndpoint', body: CreateBody,
        response: { 201: Type.Object({ ...EndpointView.properties, secret: Type.String({ description: 'whsec_…: keep it; it is not shown again' }) }, closed) },
      },
    }, async (request, reply) => {
      const caller = callerOf(request);
      const url = checkedUrl(request.body.url);
      const owned = await db.selectFrom('notifier_endpoints').select(db.fn.countAll().as('n')).where('owner', '=', caller.participant).where('enabled', '=', 1).executeTakeFirstOrThrow() as { n: number | string };
      if (Number(owned.n) >= ENDPOINTS_PER_OWNER_MAX) throw new LedgerError('invalid_request', `at most ${ENDPOINTS_PER_OWNER_MAX} endpoints per participant; disable one first`, 'body.url');
      const row: EndpointRow = {
        id: `we_${randomBytes(12).toString('base64url')}`, owner: caller.participant, url,
        types: JSON.stringify(request.body.types ?? []), secret: newSecret(), enabled: 1, created_at_ms: nowMs(),
      };
      await db.insertInto('notifier_endpoints').values(row).execute();
      endpoints.invalidate();
      return reply.code(201).send({ ...endpointView(row), secret: row.secret });
    });

    app.get('/endpoints', {
      schema: { summary: "The caller's webhook endpoints (an overseer's: every one)", tags: ['webhooks'], operationId: 'listWebhookEndpoints', response: { 200: Type.Object({ data: Type.Array(EndpointView) }) } },
    }, async (request) => {
      const caller = callerOf(request);
      let query = db.selectFrom('notifier_endpoints').selectAll().orderBy('created_at_ms').orderBy('id');
      if (!caller.seesAll) query = query.where('owner', '=', caller.participant);
      return { data: (await query.execute() as EndpointRow[]).map(endpointView) };
    });

    app.get('/endpoints/:id', {
      schema: { summary: 'One webhook endpoint', tags: ['webhooks'], operationId: 'getWebhookEndpoint', params: ById, response: { 200: EndpointView } },
    }, async (request) => endpointView(await endpointFor(callerOf(request), request.params.id)));

    app.post('/endpoints/:id/disable', {
      schema: { summary: 'Stop delivering to an endpoint (its log stays readable)', tags: ['webhooks'], operationId: 'disableWebhookEndpoint', params: ById, response: { 200: EndpointView } },
    }, async (request) => {
      const endpoint = await endpointFor(callerOf(request), request.params.id);
      await db.updateTable('notifier_endpoints').set({ enabled: 0 }).where('id', '=', endpoint.id).execute();
      endpoints.invalidate();
      return endpointView({ ...endpoint, enabled: 0 });
    });

    app.get('/endpoints/:id/deliveries', {
      schema: {
        summary: "An endpoint's deliveries, newest first: status, attempts, the receiver's last answer",
        tags: ['webhooks'], operationId: 'listWebhookDeliveries', params: ById, querystring: DeliveriesQuery,
        response: { 200: Type.Object({ data: Type.Array(DeliveryView) }) },
      },
    }, async (request) => {
      const endpoint = await endpointFor(callerOf(request), request.params.id);
      let query = db.selectFrom('notifier_deliveries').selectAll().where('endpoint_id', '=', endpoint.id)
        .orderBy('height', 'desc').orderBy('event_index', 'desc').orderBy('event_n', 'desc').limit(request.query.limit ?? PAGE_LIMIT_DEFAULT);
      if (request.query.status !== undefined) query = query.where('status', '=', request.query.status);
      return { data: (await query.execute() as DeliveryRow[]).map(deliveryView) };
    });

    app.get('/deliveries/:id', {
      schema: {
        summary: 'One delivery with every attempt', tags: ['webhooks'], operationId: 'getWebhookDelivery', params: ById,
        response: { 200: Type.Object({ ...DeliveryView.properties, attempts_log: Type.Array(AttemptView) }, closed) },
      },
    }, async (request) => {
      const { delivery } = await deliveryFor(callerOf(request), request.params.id);
      return { ...deliveryView(delivery), attempts_log: (await attemptsOf(delivery.id)).map(attemptView) };
    });

    app.post('/deliveries/:id/redeliver', {
      config: { singleUse: true },
      schema: {
        summary: 'Send a delivery again now, whatever its status; the attempt is logged and a success closes it',
        tags: ['webhooks'], operationId: 'redeliverWebhook', params: ById, response: { 200: AttemptView },
      },
    }, async (request) => {
      const { delivery, endpoint } = await deliveryFor(callerOf(request), request.params.id);
      const outcome = await send(endpoint, delivery, nowMs(), options.timeoutMs);
      await recordAttempt(db, delivery, outcome, true, nowMs(), options);
      const attempts = await attemptsOf(delivery.id);
      return attemptView(attempts.at(-1)!);
    });
  };
}
