import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Registry } from 'prom-client';
import type { PreparedModule } from '../../modules/kit/host.js';
import { mountModule } from '../../modules/kit/server.js';
import type { Ledger } from '../ledger.js';
import { LedgerError } from '../errors.js';
import type { Observer } from '../observer.js';
import { authenticate } from './auth.js';
import { consoleRoutes } from './console.js';
import { jsonBodies } from './content.js';
import { failureOptions, installFailureHandling } from './failures.js';
import { OneLinePerRequest } from './request-log.js';
import { checkResponses } from './response-check.js';
import { describeResponses } from './responses.js';
import type { SequencerLocator } from './forward.js';
import { accountRoutes } from './routes/accounts.js';
import { instructionRoutes } from './routes/instructions.js';
import { parRoutes } from './routes/par.js';
import { chainRoutes } from './routes/chain.js';
import { directoryRoutes } from './routes/directory.js';
import { errorCatalogueRoutes } from './routes/errors.js';
import { eventRoutes } from './routes/events.js';
import { operationsRoutes } from './routes/operations.js';
import { sessionRoutes } from './routes/sessions.js';
import { transactionRoutes } from './routes/transactions.js';
import { BODY_BYTES_MAX } from './schemas.js';
import { Sessions } from './sessions.js';
import { validatorCompiler } from './validation.js';

export interface AppOptions {
  ledger: Ledger;
  /** Fastify's logger options, or a pino logger the node shares with its other parts. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** On a node sharing its store with others: where the sequencer is, and this node's own URL. */
  cluster?: { locator: SequencerLocator; self: string };
  /** On an observer: what follows the upstream node (its status, alarm and lag are served too). */
  observer?: Observer;
  /** The level of the one line logged per answered request (default info). */
  requestLogLevel?: 'info' | 'debug';
  /** How long a request may take before the node answers 503; long enough for a waited receipt. */
  requestTimeoutMs?: number;
  /** Check every answer against its route's response schema (tests; also DEPOSITUM_CHECK_RESPONSES=1). */
  checkResponses?: boolean;
  /** Modules running in the node's process: their routes are mounted under /v1/<name>. */
  modules?: readonly PreparedModule[];
  /** The registry served at /metrics (a new one if none): the node's modules add their runners' figures to it. */
  metrics?: Registry;
}

function isLogger(logger: AppOptions['logger']): logger is FastifyBaseLogger {
  return typeof logger === 'object' && typeof (logger as Partial<FastifyBaseLogger>).child === 'function';
}

/** The node's HTTP API: a mapping of the ledger service onto routes, with one error shape. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { ledger, observer } = options;
  const app = Fastify({
    ...(isLogger(options.logger) ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    bodyLimit: BODY_BYTES_MAX,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
    logController: new OneLinePerRequest(options.requestLogLevel ?? 'info'),
    ...failureOptions(),
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler());
  // Response schemas document the answers (and tests check them); they never reshape what is sent.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  jsonBodies(app);
  installFailureHandling(app);
  describeResponses(app);
  if (options.checkResponses === true || process.env['DEPOSITUM_CHECK_RESPONSES'] === '1') checkResponses(app);

  const sessions = new Sessions(await ledger.store.sharedSecret('sessions'));
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.public === true) return;
    request.viewer = await authenticate(request, { participants: ledger.state.participants, sessions, claims: ledger.store, nowMs: Date.now() });
  });
  // Reads come from the in-memory state, which runs ahead of the disk while a block is
  // being signed and written; a read waits for that block so it never shows what a crash could undo.
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET') return;
    if (ledger.engine.failed !== null) throw new LedgerError('unavailable', 'the node is reopening its state after a storage failure; retry shortly', undefined, 1);
    await ledger.engine.durable();
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Depositum API', version: '1', description: 'Deposit tokens on a permissioned, verifiable ledger. Requests are signed: see docs/api.md.' },
      tags: [
        { name: 'transactions', description: 'submit signed transactions; find them, with receipts' },
        { name: 'accounts', description: 'balances, history, holds' },
        { name: 'directory', description: 'participants and assets' },
        { name: 'events', description: 'the domain-event feed (pages; text/event-stream to follow live)' },
        { name: 'chain', description: 'network, genesis, blocks, replication' },
        { name: 'sessions', description: 'bearer tokens for busy clients' },
        { name: 'errors', description: 'what each error code means' },
        { name: 'webhooks', description: 'the notifier module (when the node runs it)' },
      ],
      components: {
        securitySchemes: {
          requestSignature: { type: 'apiKey', in: 'header', name: 'x-depositum-signature', description: 'Ed25519 over the request, with x-depositum-participant, x-depositum-key, x-depositum-timestamp and x-depositum-nonce (docs/api.md)' },
          session: { type: 'http', scheme: 'bearer', description: 'a token from POST /v1/sessions' },
        },
      },
      security: [{ requestSignature: [] }, { session: [] }],
    },
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(operationsRoutes(ledger, observer, options.cluster?.locator, options.metrics));
  await app.register(sessionRoutes(sessions));
  await app.register(errorCatalogueRoutes());
  await app.register(transactionRoutes(ledger, {
    ...(options.cluster !== undefined && { cluster: options.cluster }),
    ...(observer !== undefined && { observing: observer.status.upstream }),
  }));
  await app.register(accountRoutes(ledger));
  await app.register(instructionRoutes(ledger));
  await app.register(parRoutes(ledger));
  await app.register(chainRoutes(ledger));
  await app.register(directoryRoutes(ledger));
  await app.register(eventRoutes(ledger));
  for (const module of options.modules ?? []) await mountModule(app, module);
  await consoleRoutes(app);
  return app;
}
