import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { AMOUNT_FORMAT, SCHEMA_FORMATS } from '../core/index.js';
import { LedgerError } from './errors.js';

/**
 * The one way values are checked against the ledger's schemas, wherever they come from: the
 * API's bodies and queries, a genesis file, what `init` or the CLI is about to send. Every
 * validator knows the core's string formats (LEI, country, currency, ISIN, amounts).
 */
const COMMON = { allErrors: false, removeAdditional: false, strict: false, verbose: true, formats: SCHEMA_FORMATS, discriminator: true } as const;

/** JSON as sent: a number is never turned into an amount string, an unknown field is an error, never dropped. */
export const strictAjv = new Ajv.default({ ...COMMON, coerceTypes: false, useDefaults: false });
/** Query strings and path parameters are text on the wire: coerced to their types. */
export const coercingAjv = new Ajv.default({ ...COMMON, coerceTypes: true, useDefaults: true });

/** A field path as the error names it: `operations[0].amount` under `root` ("body" → `body.operations[0].amount`). */
function pathOf(error: ErrorObject | undefined, root: string): string {
  if (error === undefined) return root;
  const path = error.instancePath.split('/').filter(Boolean).map((segment) => (/^[0-9]+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join('');
  const extra = error.keyword === 'additionalProperties' ? `.${String((error.params as { additionalProperty?: unknown }).additionalProperty)}` : '';
  const inside = `${path}${extra}`.replace(/^\./, '');
  if (inside === '') return root;
  return root === '' ? inside : `${root}${inside.startsWith('[') ? '' : '.'}${inside}`;
}

/**
 * The first schema error as the ledger's own error: the field, what is wrong, and the
 * value where it helps. `whole` names the value itself when the error is about all of it.
 */
export function schemaError(errors: readonly ErrorObject[] | null | undefined, root: string, whole = 'the value'): LedgerError {
  const first = errors?.[0];
  const param = pathOf(first, root) || whole;
  if (first?.keyword === 'additionalProperties') return new LedgerError('invalid_request', `unknown field ${param}`, param);
  if (first?.keyword === 'discriminator') return discriminatorError(first, param);
  const schema = first?.parentSchema as { format?: string; description?: string } | undefined;
  if (schema?.format === AMOUNT_FORMAT) {
    return new LedgerError('invalid_amount', `${param} must be a decimal string such as "1000.00", at most 2^127 − 1 minor units (got ${JSON.stringify(first?.data)})`, param);
  }
  const allowed = first?.keyword === 'enum' ? `: ${(first.params as { allowedValues: unknown[] }).allowedValues.map((value) => JSON.stringify(value)).join(', ')}` : '';
  const what = `${allowed}${schema?.description === undefined ? '' : ` (${schema.description})`}`;
  const got = typeof first?.data === 'string' && first.data.length <= 80 ? `; got ${JSON.stringify(first.data)}` : '';
  return new LedgerError('invalid_request', `${param} ${first?.message ?? 'is invalid'}${what}${got}`, param);
}

const compiled = new WeakMap<object, ValidateFunction>();

/** Throws the ledger's invalid_request (or invalid_amount) naming the field when `value` does not match `schema`. */
export function assertMatches(schema: object, value: unknown, root = ''): void {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = strictAjv.compile(schema);
    compiled.set(schema, validate);
  }
  if (!validate(value)) throw schemaError(validate.errors, root);
}

/** A tagged union (an operation) whose tag names no branch: which tag, and the ones there are. */
function discriminatorError(error: ErrorObject, param: string): LedgerError {
  const { tag, tagValue } = error.params as { tag: string; tagValue: unknown };
  const branches = ((error.parentSchema as { oneOf?: { properties?: Record<string, { const?: unknown }> }[] } | undefined)?.oneOf ?? []).map((branch) => branch.properties?.[tag]?.const).filter((value) => value !== undefined);
  const field = `${param}.${tag}`;
  return new LedgerError('invalid_request', `${field}: ${JSON.stringify(tagValue)} is not one this node knows (${branches.join(', ')})`, field);
}
