import { Type, type TSchema } from 'typebox';
import { BASE64URL_64, Hex32, Id, KEYS_MAX, TransactionBodySchema, TransactionId } from '../../core/index.js';

/**
 * What the API validates beyond the ledger's own schemas (which come from the core's
 * registry: operations, transaction bodies, fields), and the limits on one request.
 */
export const BODY_BYTES_MAX = 1024 * 1024;
export const SIGNATURES_MAX = KEYS_MAX;
export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 50;

const closed = { additionalProperties: false } as const;

export { Id, TransactionId };
export const Hash = Hex32;

export const SignatureSchema = Type.Object({ signer: Id, key: Id, signature: Type.String({ pattern: BASE64URL_64, description: 'Ed25519, base64url' }) }, closed);

export const EnvelopeSchema = Type.Object({ body: TransactionBodySchema, signatures: Type.Array(SignatureSchema, { maxItems: SIGNATURES_MAX }) }, closed);

const pageFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })),
  starting_after: Type.Optional(Type.String({ maxLength: 200 })),
};

export const PageQuery = Type.Object(pageFields, closed);

export const OwnedPageQuery = Type.Object({ ...pageFields, owner: Type.Optional(Id) }, closed);

/** A page of objects, of one status if the query names it. */
export const StatusPageQuery = <S extends TSchema>(status: S) => Type.Object({ ...pageFields, status: Type.Optional(status) }, closed);
