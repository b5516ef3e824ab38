import Ajv, { type ErrorObject } from 'ajv';
import type { FastifyError } from 'fastify';
import { AMOUNT_FORMAT, SCHEMA_FORMATS } from '../../core/index.js';
import { LedgerError } from '../errors.js';

/**
 * Two validators, both knowing the core's string formats (LEI, country, currency, ISIN,
 * amounts): bodies are checked strictly (a number is never turned into an amount string,
 * an unknown field is an error, never silently dropped); query strings and path
 * parameters are text on the wire, so those are coerced to their types.
 */
export function validatorCompiler() {
  const common = { allErrors: false, removeAdditional: false, strict: false, verbose: true, formats: SCHEMA_FORMATS, discriminator: true } as const;
  const strict = new Ajv.default({ ...common, coerceTypes: false, useDefaults: false });
  const coercing = new Ajv.default({ ...common, coerceTypes: true, useDefaults: true });
  return ({ schema, httpPart }: { schema: object; httpPart?: string }) => (httpPart === 'body' ? strict : coercing).compile(schema);
}

/** The failing field as a path inside the request's JSON (or query), e.g. "body.operations[0].amount". */
function paramOf(error: FastifyError, first: ErrorObject | undefined): string {
  const part = error.validationContext ?? 'body';
  if (first === undefined) return part;
  const path = first.instancePath.split('/').filter(Boolean).map((segment) => (/^[0-9]+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join('');
  const extra = first.keyword === 'additionalProperties' ? `.${String((first.params as { additionalProperty?: unknown }).additionalProperty)}` : '';
  const param = `${path}${extra}`.replace(/^\./, '');
  // A field is named by its path in the request's JSON (or as the query or path parameter it is).
  return param === '' ? part : param;
}

/** A schema error as the ledger's own error, naming the field, and the value where it helps. */
export function validationError(error: FastifyError): LedgerError {
  const first = error.validation?.[0] as ErrorObject | undefined;
  const param = paramOf(error, first);
  if (first?.keyword === 'additionalProperties') return new LedgerError('invalid_request', `unknown field ${param}`, param);
  const schema = first?.parentSchema as { format?: string; description?: string } | undefined;
  if (schema?.format === AMOUNT_FORMAT) {
    return new LedgerError('invalid_amount', `${param} must be a decimal string such as "1000.00", at most 2^127 − 1 minor units (got ${JSON.stringify(first?.data)})`, param);
  }
  const what = schema?.description === undefined ? '' : ` (${schema.description})`;
  const got = typeof first?.data === 'string' && first.data.length <= 80 ? `; got ${JSON.stringify(first.data)}` : '';
  return new LedgerError('invalid_request', `${param} ${first?.message ?? 'is invalid'}${what}${got}`, param);
}
