import type { FastifyInstance } from 'fastify';
import { strictAjv } from '../schema-check.js';

type Check = ((value: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

/** The schema a route declares for a status: exact, then its class (`4xx`), then `default`. */
function schemaFor(responses: Record<string, unknown>, status: number): unknown {
  return responses[String(status)] ?? responses[`${String(status)[0]}xx`] ?? responses['default'];
}

/**
 * Checks every answer against the response schema its route declares, and answers 500
 * naming the difference when one does not match: for tests, so the OpenAPI document can
 * never drift from what the node sends. A route without a schema for a status is a
 * mismatch too. Off in production (the serializer stays JSON.stringify either way).
 */
export function checkResponses(app: FastifyInstance): void {
  const compiled = new WeakMap<object, Check>();
  const checkerOf = (schema: object): Check => {
    let check = compiled.get(schema);
    if (check === undefined) compiled.set(schema, check = strictAjv.compile(schema) as Check);
    return check;
  };
  app.addHook('onSend', async (request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    // Hidden routes (health, readiness, the OpenAPI document itself) are not part of the API's contract.
    if (!type.startsWith('application/json') || typeof payload !== 'string' || request.routeOptions.url === undefined || request.routeOptions.schema?.hide === true) return payload;
    const responses = (request.routeOptions.schema?.response ?? {}) as Record<string, unknown>;
    const schema = schemaFor(responses, reply.statusCode);
    const problem = schema === undefined
      ? `no response schema for ${reply.statusCode}`
      : ((check: Check) => (check(JSON.parse(payload)) ? null : (check.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ')))(checkerOf(schema as object));
    if (problem === null) return payload;
    reply.code(500);
    return JSON.stringify({ error: { type: 'api_error', code: 'internal_error', message: `${request.method} ${request.routeOptions.url} answered ${reply.statusCode} off its schema: ${problem}: ${payload.slice(0, 500)}` } });
  });
}
