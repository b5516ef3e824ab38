import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Observer } from '../observer.js';

/** The observer's figures: how far behind upstream it is, and whether it raised the alarm. */
export function observerMetrics(registry: Registry, observer: Observer): void {
  new Gauge({ name: 'depositum_replication_lag_blocks', help: 'Blocks the upstream node has that this observer has not yet verified', registers: [registry], collect() { this.set(observer.status.lagBlocks); } });
  new Gauge({ name: 'depositum_replication_lag_seconds', help: 'Age of the last verified block while the observer is behind (0 when caught up)', registers: [registry], collect() { this.set(observer.status.lagMs / 1000); } });
  new Gauge({ name: 'depositum_observed_height', help: 'Height of the last block this observer verified', registers: [registry], collect() { this.set(observer.status.height); } });
  new Gauge({ name: 'depositum_observer_alarm', help: '1 once a block from upstream failed verification (the observer stopped following)', registers: [registry], collect() { this.set(observer.alarm === null ? 0 : 1); } });
}

/**
 * GET /v1/observer: where the observer stands and, after a block failed to verify, the
 * alarm naming it. Public like /health: it says nothing about anyone's transactions.
 */
export const observerRoutes = (observer: Observer): FastifyPluginAsync => async (app) => {
  app.get('/v1/observer', { config: { public: true }, schema: { summary: 'Replication status of this observer, and the alarm if a block did not verify' } }, async (_request, reply) =>
    reply.status(observer.alarm === null ? 200 : 503).send(observer.status));
};

/**
 * A participant's observer keeps no ledger state (it sees only its own transactions),
 * so it serves its status, health and metrics, not the ledger's read API.
 */
export async function buildStatusApp(observer: Observer, logger: FastifyBaseLogger): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: logger });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  observerMetrics(registry, observer);
  app.get('/health', async (_request, reply) => reply.status(observer.alarm === null ? 200 : 503).send({ status: observer.alarm === null ? 'ok' : 'alarm', height: observer.status.height, alarm: observer.alarm }));
  app.get('/ready', async (_request, reply) => reply.status(observer.alarm === null ? 200 : 503).send({ ready: observer.alarm === null, role: 'observer', height: observer.status.height }));
  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  await app.register(observerRoutes(observer));
  return app;
}
