import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import type { Registry } from 'prom-client';
import type { Participant } from '../../core/index.js';
import { authenticate, viewerOf } from '../../node/api/auth.js';
import { jsonBodies } from '../../node/api/content.js';
import { failureOptions, installFailureHandling } from '../../node/api/failures.js';
import { BODY_BYTES_MAX } from '../../node/api/schemas.js';
import { Sessions } from '../../node/api/sessions.js';
import { validatorCompiler } from '../../node/api/validation.js';
import type { DepositumClient } from '../../sdk/index.js';
import { readParticipants } from './directory.js';
import { claimRequest } from './kit-tables.js';
import type { PreparedModule } from './host.js';
import type { Caller } from './module.js';

/** Who the node's authentication says is asking, as a module sees it. */
export function callerOf(request: FastifyRequest): Caller {
  const viewer = viewerOf(request);
  return { participant: viewer.participant.id, roles: viewer.participant.roles, seesAll: viewer.seesAll };
}

/** Mounts a module's routes under /v1/<name> of an app that authenticates its requests. */
export async function mountModule(app: FastifyInstance, prepared: PreparedModule): Promise<void> {
  const routes = prepared.module.routes?.(prepared.services, callerOf);
  if (routes !== undefined) await app.register(routes, { prefix: `/v1/${prepared.module.name}` });
}

/** How stale the standalone server's copy of the participants' keys may be. */
const DIRECTORY_REFRESH_MS = 2_000;

/** The node's participants and keys, as the module's overseeing participant reads them, refreshed when stale. */
class Directory {
  private participants = new Map<string, Participant>();
  private readAtMs = 0;

  constructor(private readonly client: DepositumClient) {}

  async fresh(nowMs: number): Promise<Map<string, Participant>> {
    if (nowMs - this.readAtMs < DIRECTORY_REFRESH_MS) return this.participants;
    this.participants = await readParticipants(this.client);
    this.readAtMs = nowMs;
    return this.participants;
  }
}

/**
 * A module's own HTTP server, for a module run as its own process: its routes under
 * /v1/<name>, the node's error shape, and requests signed by registered participant keys
 * (a bearer token from the node is not accepted here: its secret stays with the node);
 * /health and `metrics` (Prometheus) at /metrics for its operators.
 */
export async function buildModuleServer(prepared: PreparedModule, client: DepositumClient, logger: FastifyBaseLogger, metrics: Registry): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: logger, bodyLimit: BODY_BYTES_MAX, ...failureOptions() }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  jsonBodies(app);
  installFailureHandling(app);
  const directory = new Directory(client);
  const sessions = new Sessions(randomBytes(32));
  const { db } = prepared.services;
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.public === true) return;
    const nowMs = Date.now();
    request.viewer = await authenticate(request, {
      participants: await directory.fresh(nowMs), sessions, nowMs,
      claims: { claimRequest: (digest, expiresAtMs) => claimRequest(db, digest, expiresAtMs, Date.now()) },
    });
  });
  app.get('/health', { config: { public: true }, schema: { hide: true } }, async () => ({ status: 'ok', module: prepared.module.name }));
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  await mountModule(app, prepared);
  return app;
}
