import { Type, type TSchema } from 'typebox';
import { ASSET_KINDS, DECIMALS_MAX, KYC_STATUSES, ROLES, type Operation } from '../../core/index.js';

/** Limits on what one request may carry. */
export const BODY_BYTES_MAX = 1024 * 1024;
export const OPERATIONS_MAX = 1000;
export const SIGNATURES_MAX = 8;
export const PAGE_LIMIT_MAX = 500;
export const PAGE_LIMIT_DEFAULT = 50;

const closed = { additionalProperties: false } as const;

export const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'lower-case id: letters, digits, . _ -' });
export const TransactionId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$', description: 'chosen by the sender, unique per sender' });
export const Amount = Type.String({ pattern: '^(0|[1-9][0-9]{0,38})(\\.[0-9]{1,18})?$', description: "decimal string in the asset's major unit, e.g. \"1000000.00\"" });
export const TimeMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'milliseconds since the Unix epoch' });
export const Hash = Type.String({ pattern: '^[0-9a-f]{64}$' });

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((value) => Type.Literal(value)));

const PublicKeyEntry = Type.Object({ id: Id, publicKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'raw Ed25519 public key, base64url' }) }, closed);
const Roles = Type.Array(literals(ROLES), { minItems: 1, maxItems: ROLES.length, uniqueItems: true });
const Keys = Type.Array(PublicKeyEntry, { minItems: 1, maxItems: SIGNATURES_MAX });
const Delegates = Type.Array(Id, { maxItems: 16, uniqueItems: true });
const KycExpiry = Type.Union([TimeMs, Type.Null()]);

const ParticipantSpec = Type.Object({
  id: Id,
  legalName: Type.String({ minLength: 1, maxLength: 200 }),
  lei: Type.String({ pattern: '^[A-Z0-9]{18}[0-9]{2}$', description: 'ISO 17442 Legal Entity Identifier' }),
  jurisdiction: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  roles: Roles,
  kycStatus: literals(KYC_STATUSES),
  kycExpiresAtMs: Type.Optional(KycExpiry),
  keys: Keys,
  delegates: Type.Optional(Delegates),
}, closed);

const ParticipantChanges = Type.Object({
  legalName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  jurisdiction: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  roles: Type.Optional(Roles),
  kycStatus: Type.Optional(literals(KYC_STATUSES)),
  kycExpiresAtMs: Type.Optional(KycExpiry),
  keys: Type.Optional(Keys),
  delegates: Type.Optional(Delegates),
}, { ...closed, minProperties: 1 });

const Reference = Type.String({ minLength: 1, maxLength: 140 });
const op = <P extends Record<string, TSchema>>(type: string, properties: P) => Type.Object({ type: Type.Literal(type), ...properties }, closed);

const OPERATION_SCHEMAS = [
  op('register_participant', { participant: ParticipantSpec }),
  op('update_participant', { participant: Id, changes: ParticipantChanges }),
  op('define_asset', { asset: Id, kind: literals(ASSET_KINDS), code: Type.String({ pattern: '^([A-Z]{3}|[A-Z]{2}[A-Z0-9]{9}[0-9])$', description: 'ISO 4217 code or ISIN' }), decimals: Type.Integer({ minimum: 0, maximum: DECIMALS_MAX }), issuer: Id }),
  op('pause_asset', { asset: Id }),
  op('unpause_asset', { asset: Id }),
  op('open_account', { account: Id, owner: Id, asset: Id }),
  op('freeze_account', { account: Id }),
  op('unfreeze_account', { account: Id }),
  op('configure_minter', { asset: Id, minter: Id, allowance: Amount }),
  op('issue', { account: Id, amount: Amount, depositReference: Reference }),
  op('redeem', { account: Id, amount: Amount, payoutReference: Reference }),
  op('transfer', { from: Id, to: Id, amount: Amount }),
  op('hold', { hold: Id, from: Id, to: Id, amount: Amount, expiresAtMs: TimeMs }),
  op('post', { hold: Id, amount: Type.Optional(Amount) }),
  op('void', { hold: Id }),
];

/** One schema branch per operation type, chosen by `type`, so errors speak of the right branch. */
export const OperationSchema = Type.Unsafe<Operation>({ type: 'object', required: ['type'], discriminator: { propertyName: 'type' }, oneOf: OPERATION_SCHEMAS });

export const TransactionBodySchema = Type.Object({
  network: Id,
  id: TransactionId,
  sender: Id,
  validUntilMs: TimeMs,
  operations: Type.Array(OperationSchema, { minItems: 1, maxItems: OPERATIONS_MAX }),
  atomic: Type.Optional(Type.Boolean({ description: 'false: each operation applies or fails on its own (a bulk payment file)' })),
  reference: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'ISO 20022 end-to-end id or UETR' })),
  memo: Type.Optional(Type.String({ maxLength: 500 })),
}, closed);

export const SignatureSchema = Type.Object({ signer: Id, key: Id, signature: Type.String({ pattern: '^[A-Za-z0-9_-]{86}$', description: 'Ed25519, base64url' }) }, closed);

export const EnvelopeSchema = Type.Object({ body: TransactionBodySchema, signatures: Type.Array(SignatureSchema, { maxItems: SIGNATURES_MAX }) }, closed);

const pageFields = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })),
  starting_after: Type.Optional(Type.String({ maxLength: 200 })),
};

export const PageQuery = Type.Object(pageFields, closed);

export const OwnedPageQuery = Type.Object({ ...pageFields, owner: Type.Optional(Id) }, closed);

