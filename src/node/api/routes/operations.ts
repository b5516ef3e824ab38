import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';
import type { Ledger } from '../../ledger.js';
import { nodeMetrics } from '../../metrics.js';
import type { Observer } from '../../observer.js';
import type { SequencerLocator } from '../forward.js';
import { observerMetrics, observerRoutes } from '../observer.js';

/** Liveness, readiness and metrics: for load balancers and scrapers, unauthenticated (serve them internally). */
export const operationsRoutes = (ledger: Ledger, observer?: Observer, locator?: SequencerLocator, registry?: Registry): FastifyPluginAsync => async (app) => {
  app.get('/health', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const height = ledger.engine.head?.header.height ?? 0;
    if ((observer?.alarm ?? null) !== null) return reply.status(503).send({ status: 'alarm', height, alarm: observer?.alarm });
    const failed = ledger.engine.failed;
    return reply.status(failed === null ? 200 : 503).send({ status: failed === null ? 'ok' : 'failed', height });
  });
  // Readiness: it takes transactions. A follower while it can hand them to an elected sequencer; an observer while no alarm is raised.
  app.get('/ready', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const serving = observer === undefined ? ledger.accepting || (ledger.role === 'follower' && (locator?.leaderUrl ?? null) !== null) : observer.alarm === null;
    const ready = ledger.engine.failed === null && serving;
    return reply.status(ready ? 200 : 503).send({ ready, role: observer === undefined ? ledger.role : 'observer', height: ledger.engine.head?.header.height ?? 0 });
  });
  const metrics = nodeMetrics(ledger, registry);
  if (observer !== undefined) {
    observerMetrics(metrics, observer);
    await app.register(observerRoutes(observer));
  }
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
};
