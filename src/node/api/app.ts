import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Ajv from 'ajv';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { storeUnavailable } from '../../store/types.js';
import { ApiError } from '../errors.js';
import type { Observer } from '../observer.js';
import type { SequencerLocator } from './forward.js';
import { observerMetrics, observerRoutes } from './observer.js';
import type { Ledger } from '../ledger.js';
import { authenticate, viewerOf } from './auth.js';
import { Sessions } from './sessions.js';
import { nodeMetrics } from '../metrics.js';
import { accountRoutes } from './routes/accounts.js';
import { chainRoutes } from './routes/chain.js';
import { directoryRoutes } from './routes/directory.js';
import { eventRoutes } from './routes/events.js';
import { transactionRoutes } from './routes/transactions.js';
import { BODY_BYTES_MAX } from './schemas.js';

export interface AppOptions {
  ledger: Ledger;
  /** Fastify's logger options, or a pino logger the node shares with its other parts. */
  logger?: FastifyServerOptions['logger'] | FastifyBaseLogger;
  /** On a node sharing its store with others: where the sequencer is, and this node's own URL. */
  cluster?: { locator: SequencerLocator; self: string };
  /** On an observer: what follows the upstream node (its status, alarm and lag are served too). */
  observer?: Observer;
  /** How long a request may take before the node answers 503; long enough for a waited receipt. */
  requestTimeoutMs?: number;
}

/**
 * Two validators: bodies are checked strictly (a number is never turned into an
 * amount string, an unknown field is an error, never silently dropped); query strings
 * and path parameters are text on the wire, so those are coerced to their types.
 */
function validators() {
  const strict = new Ajv.default({ allErrors: false, coerceTypes: false, removeAdditional: false, useDefaults: false, discriminator: true, strict: false });
  const coercing = new Ajv.default({ allErrors: false, coerceTypes: true, removeAdditional: false, useDefaults: true, strict: false });
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}

/** The failing field as a path inside the request's JSON (or query), e.g. "body.operations[0].amount". */
function paramOf(error: FastifyError): string {
  const first = error.validation?.[0];
  if (first === undefined) return error.validationContext ?? 'body';
  const path = first.instancePath.split('/').filter(Boolean).map((part) => (/^[0-9]+$/.test(part) ? `[${part}]` : `.${part}`)).join('');
  const extra = first.keyword === 'additionalProperties' ? `.${String((first.params as { additionalProperty?: unknown }).additionalProperty)}` : '';
  const param = `${path}${extra}`.replace(/^\./, '');
  return param === '' ? (error.validationContext ?? 'body') : param;
}

/** Every failure leaves as one shape: `{ error: { type, code, message, param? } }`. */
function toApiError(error: FastifyError): ApiError {
  if (error instanceof ApiError) return error;
  if (error.validation !== undefined) {
    const param = paramOf(error);
    const first = error.validation[0];
    if (first?.keyword === 'additionalProperties') return new ApiError('invalid_request', `unknown field ${param}`, param);
    const isAmount = /\.(amount|allowance)$/.test(param);
    return new ApiError(isAmount ? 'invalid_amount' : 'invalid_request', isAmount ? `${param} must be a positive decimal string such as "1000.00"` : `${param} ${first?.message ?? 'is invalid'}`, param);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError('payload_too_large', `the body exceeds ${BODY_BYTES_MAX} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError('unsupported_media_type', 'send application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new ApiError('malformed_json', 'the body is not valid JSON');
  }
  if (error.statusCode !== undefined && error.statusCode < 500) return new ApiError('invalid_request', error.message);
  if (storeUnavailable(error)) return new ApiError('unavailable', 'the ledger\'s database is not reachable right now (a fail-over or restart); retry shortly', undefined, 1);
  return new ApiError('internal_error', 'internal error');
}

function isLogger(logger: AppOptions['logger']): logger is FastifyBaseLogger {
  return typeof logger === 'object' && typeof (logger as Partial<FastifyBaseLogger>).child === 'function';
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { ledger } = options;
  const app = Fastify({
    ...(isLogger(options.logger) ? { loggerInstance: options.logger } : { logger: options.logger ?? false }),
    bodyLimit: BODY_BYTES_MAX,
    requestTimeout: options.requestTimeoutMs ?? 30_000,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validators());

  // The raw body is kept because request signatures cover its exact bytes.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new ApiError('malformed_json', 'the body is not valid JSON'), undefined);
    }
  });

  const sessions = new Sessions(await ledger.store.sharedSecret('sessions'));
  app.addHook('preValidation', async (request) => {
    if (request.routeOptions.config.public === true) return;
    request.viewer = authenticate(request, ledger.state, sessions, Date.now());
  });
  // Reads come from the in-memory state, which runs ahead of the disk while a block is
  // being signed and written; a read waits for that block so it never shows what a crash could undo.
  app.addHook('preHandler', async (request) => {
    if (request.method !== 'GET') return;
    if (ledger.engine.failed !== null) throw new ApiError('unavailable', 'the node is reopening its state after a storage failure; retry shortly', undefined, 1);
    await ledger.engine.durable();
  });
  app.post('/v1/sessions', {
    schema: { summary: 'Exchange a signed request for a bearer token bound to the signer (valid one hour)' },
  }, async (request, reply) => {
    if (request.headers.authorization !== undefined) throw new ApiError('authentication_required', 'a session is opened with a request signature, not with another token');
    const viewer = viewerOf(request);
    return reply.status(201).send(sessions.issue(viewer.participant.id, viewer.keyId, Date.now()));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (apiError.retryAfterS !== undefined) void reply.header('retry-after', String(apiError.retryAfterS));
    return reply.status(apiError.status).send(apiError.toJSON());
  });
  app.setNotFoundHandler((request, reply) => reply.status(404).send(new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`).toJSON()));

  await app.register(swagger, {
    openapi: {
      info: { title: 'Depositum API', version: '1', description: 'Deposit tokens on a permissioned, verifiable ledger. Requests are signed: see docs/api.md.' },
      components: { securitySchemes: { requestSignature: { type: 'apiKey', in: 'header', name: 'x-depositum-signature' } } },
      security: [{ requestSignature: [] }],
    },
  });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());
  // Liveness: the process answers. Readiness: it also takes transactions (not failed, not stopping).
  const { observer } = options;
  app.get('/health', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    const height = ledger.engine.head?.header.height ?? 0;
    if ((observer?.alarm ?? null) !== null) return reply.status(503).send({ status: 'alarm', height, alarm: observer?.alarm });
    const failed = ledger.engine.failed;
    return reply.status(failed === null ? 200 : 503).send({ status: failed === null ? 'ok' : 'failed', height });
  });
  app.get('/ready', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
    // A follower is ready while it can hand submissions to an elected sequencer; an observer while no alarm is raised.
    const serving = observer === undefined ? ledger.accepting || (ledger.role === 'follower' && (options.cluster?.locator.leaderUrl ?? null) !== null) : observer.alarm === null;
    const ready = ledger.engine.failed === null && serving;
    return reply.status(ready ? 200 : 503).send({ ready, role: observer === undefined ? ledger.role : 'observer', height: ledger.engine.head?.header.height ?? 0 });
  });
  const metrics = nodeMetrics(ledger);
  if (observer !== undefined) {
    observerMetrics(metrics, observer);
    await app.register(observerRoutes(observer));
  }
  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) =>
    reply.type(metrics.contentType).send(await metrics.metrics()));

  await app.register(transactionRoutes(ledger, {
    ...(options.cluster !== undefined && { cluster: options.cluster }),
    ...(observer !== undefined && { observing: observer.status.upstream }),
  }));
  await app.register(accountRoutes(ledger));
  await app.register(chainRoutes(ledger));
  await app.register(directoryRoutes(ledger));
  await app.register(eventRoutes(ledger));
  return app;
}
