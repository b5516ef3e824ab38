import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { CommittedBlock } from '../../engine.js';
import type { Ledger } from '../../ledger.js';
import { viewerOf } from '../auth.js';
import { canSeeTransaction } from './transactions.js';

/** A comment line every so often keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

export const eventRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  // Streams never finish by themselves; closing the server ends them so shutdown is not held up.
  const open = new Set<{ end: () => void }>();
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
  });
  app.get('/v1/events', {
    schema: { summary: 'Server-sent events: every block header, and a receipt event for each transaction the caller is party to' },
  }, async (request, reply) => {
    const viewer = viewerOf(request);
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (event: string, data: unknown): void => void out.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const onBlock = (committed: CommittedBlock): void => {
      send('block', committed.block);
      for (const tx of committed.transactions) {
        if (canSeeTransaction(viewer, tx)) send('receipt', { transaction: tx.hash, height: tx.height, position: tx.position, result: tx.result });
      }
      for (const hold of committed.expiredHolds) {
        const record = ledger.state.holds.get(hold);
        const payer = record === undefined ? undefined : ledger.state.accounts.get(record.payer);
        if (viewer.seesAll || payer?.owner === viewer.participant.id) send('hold_expired', { hold, height: committed.block.header.height });
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
    send('ready', { height: ledger.engine.head?.header.height ?? 0 });
  });
};
