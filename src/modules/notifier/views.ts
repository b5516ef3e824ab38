import { Type } from 'typebox';
import type { AttemptRow, DeliveryRow, EndpointRow } from './tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const EndpointView = Type.Object({
  id: Type.String(), owner: Type.String(), url: Type.String(),
  types: Type.Array(Type.String(), { description: 'empty: every type' }),
  enabled: Type.Boolean(), createdAtMs: Type.Integer(),
}, { additionalProperties: false });

export const DeliveryView = Type.Object({
  id: Type.String(), endpoint: Type.String(), position: Type.String(), type: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  nextAttemptAtMs: Nullable(Type.Integer({ description: 'while pending' })),
  lastStatusCode: Nullable(Type.Integer()), lastError: Nullable(Type.String()),
  deliveredAtMs: Nullable(Type.Integer()), createdAtMs: Type.Integer(),
}, { additionalProperties: false });

export const AttemptView = Type.Object({
  attempt: Type.Integer(), atMs: Type.Integer(), manual: Type.Boolean(),
  statusCode: Nullable(Type.Integer()), error: Nullable(Type.String()), durationMs: Type.Integer(),
}, { additionalProperties: false });

export function endpointView(row: EndpointRow) {
  return { id: row.id, owner: row.owner, url: row.url, types: JSON.parse(row.types) as string[], enabled: row.enabled === 1, createdAtMs: row.created_at_ms };
}

export function deliveryView(row: DeliveryRow) {
  return {
    id: row.id, endpoint: row.endpoint_id, position: row.position, type: row.event_type, status: row.status, attempts: row.attempts,
    nextAttemptAtMs: row.status === 'pending' ? row.next_attempt_at_ms : null,
    lastStatusCode: row.last_status_code, lastError: row.last_error, deliveredAtMs: row.delivered_at_ms, createdAtMs: row.created_at_ms,
  };
}

export function attemptView(row: AttemptRow) {
  return { attempt: row.attempt, atMs: row.at_ms, manual: row.manual === 1, statusCode: row.status_code, error: row.error, durationMs: row.duration_ms };
}
