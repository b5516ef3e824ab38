import type { FastifyError } from 'fastify';
import { coercingAjv, schemaError, strictAjv } from '../schema-check.js';
import type { LedgerError } from '../errors.js';

/** Bodies are checked strictly; query strings and path parameters are coerced from text (see schema-check). */
export function validatorCompiler() {
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema);
}

/** A request that failed its route's schema, as the ledger's own error naming the field. */
export function validationError(error: FastifyError): LedgerError {
  // A field is named by its path in the request's JSON (a transaction's `body.operations[0].amount`), or as the query or path parameter it is.
  return schemaError(error.validation as Parameters<typeof schemaError>[0], '', error.validationContext ?? 'body');
}
