import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { storeUnavailable } from '../../store/types.js';
import { LedgerError } from '../errors.js';
import { ApiError, API_ERRORS, toHttp, type ApiErrorCode } from './errors.js';
import { BODY_BYTES_MAX } from './schemas.js';
import { validationError } from './validation.js';

/**
 * Every answer the node gives to a failed request has one shape,
 * `{ error: { type, code, message, param?, request_id, doc_url } }`, whatever refused it:
 * the ledger, a route, Fastify's router or Node's HTTP parser.
 */

export const REQUEST_ID_HEADER = 'x-request-id';
/** A request id a client may choose (to correlate its logs with ours): short and plain, or we choose one. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** A body past the limit is read to its end (so the client can read our 413) up to this many bytes; beyond, the connection is cut. */
const OVERSIZED_BODY_DRAINED_MAX = 64 * 1024 * 1024;
const OVERSIZED_BODY_DRAIN_MS = 10_000;

export function requestId(raw: IncomingMessage): string {
  const offered = raw.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && CLIENT_REQUEST_ID.test(offered) ? offered : randomUUID();
}

export function errorBody(code: ApiErrorCode, message: string, id: string, param?: string) {
  return { error: { type: API_ERRORS[code].type, code, message, ...(param !== undefined && { param }), request_id: id, doc_url: `/v1/errors/${code}` } };
}

/** Any failure of a request as the ledger's or the API's own error. */
function classify(error: FastifyError | ApiError | LedgerError): ApiError | LedgerError {
  if (error instanceof ApiError || error instanceof LedgerError) return error;
  if (error.validation !== undefined) return validationError(error);
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return new ApiError('payload_too_large', `the body exceeds ${BODY_BYTES_MAX} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return new ApiError('unsupported_media_type', 'send application/json (UTF-8)');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new ApiError('malformed_json', 'the body is not valid JSON');
    case 'FST_ERR_BAD_URL': return new LedgerError('invalid_request', 'the path is not valid percent-encoded text');
    case 'FST_ERR_MAX_PARAM_LENGTH': return new ApiError('uri_too_long', 'a path parameter is longer than any id the ledger has');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return new ApiError('malformed_json', 'the content-length does not match the body');
  }
  if (storeUnavailable(error)) return new LedgerError('unavailable', "the ledger's database is not reachable right now (a fail-over or restart); retry shortly", undefined, 1);
  if (error.statusCode !== undefined && error.statusCode < 500) return new LedgerError('invalid_request', error.message);
  return new ApiError('internal_error', 'internal error');
}

/** Lets a client that is still sending a body we refused finish, so it reads our answer instead of a reset connection. */
async function drainBody(request: FastifyRequest): Promise<void> {
  const raw = request.raw;
  const declared = Number(raw.headers['content-length'] ?? 0);
  if (raw.readableEnded || declared > OVERSIZED_BODY_DRAINED_MAX) return;
  await new Promise<void>((resolve) => {
    let seen = 0;
    const timer = setTimeout(resolve, OVERSIZED_BODY_DRAIN_MS);
    raw.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > OVERSIZED_BODY_DRAINED_MAX) resolve();
    });
    raw.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
    raw.once('error', () => resolve());
    raw.resume();
  });
}

export async function sendFailure(error: FastifyError | ApiError | LedgerError, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const failure = classify(error);
  const { status, body, retryAfterS } = toHttp(failure);
  if (status >= 500 && failure.code === 'internal_error') request.log.error({ err: error }, 'request failed');
  else request.log.debug({ code: body.code, status }, 'request refused');
  if (failure.code === 'payload_too_large') {
    await drainBody(request);
    void reply.header('connection', 'close');
  }
  if (retryAfterS !== undefined) void reply.header('retry-after', String(retryAfterS));
  return reply.status(status).send(errorBody(body.code, body.message, request.id, body.param));
}

/** What the HTTP parser refuses before any request exists (a request line or headers too large, garbage): still our shape. */
function clientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const [code, message]: [ApiErrorCode, string] = error.code === 'HPE_HEADER_OVERFLOW'
    ? ['request_header_fields_too_large', 'the request line and headers exceed what the node reads (16 KiB)']
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? ['request_timeout', 'the request did not arrive in time'] : ['invalid_request', 'the request is not valid HTTP'];
  const body = JSON.stringify(errorBody(code, message, randomUUID()));
  const { status } = API_ERRORS[code];
  socket.end(`HTTP/1.1 ${status} ${code.replaceAll('_', ' ')}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** The Fastify options that route framework and parser failures to the one shape, and give every request an id. */
export function failureOptions(): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler' | 'genReqId' | 'requestIdHeader'> {
  return {
    genReqId: requestId,
    requestIdHeader: false,
    frameworkErrors: (error, request, reply) => void sendFailure(error, request, reply),
    clientErrorHandler: clientError,
  };
}

/** The error and not-found handlers, and the request id on every answer. */
export function installFailureHandling(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => sendFailure(error, request, reply));
  app.setNotFoundHandler((request, reply) => sendFailure(new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`), request, reply));
}
