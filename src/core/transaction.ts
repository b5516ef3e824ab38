import { Type, type Static } from 'typebox';
import { OPERATIONS, type Operation } from './operations/index.js';
import { BASE64URL_32, Id, Reference, Text, TimeMs, TransactionId } from './schema.js';

/** The most operations one transaction carries (a bulk file of payments). */
export const OPERATIONS_MAX = 1000;

/**
 * One branch per registered operation, chosen by `type`, so that a validator speaks of
 * the right branch. The TypeScript type is the union of the branches' own types: the
 * schema and the type come from the same declarations and cannot drift.
 */
export const OperationSchema = Type.Unsafe<Operation>({
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: OPERATIONS.map((definition) => definition.schema),
});

/** What the initiator signs. `id` is chosen by the sender and commits at most once, ever. */
export const TransactionBodySchema = Type.Object({
  network: Id,
  id: TransactionId,
  sender: Id,
  validUntilMs: TimeMs,
  operations: Type.Array(OperationSchema, { minItems: 1, maxItems: OPERATIONS_MAX }),
  /**
   * True (the default): all operations apply or none does. False: each applies or fails
   * on its own, like the payments of a bulk file (pain.001); the result lists the failures.
   */
  atomic: Type.Optional(Type.Boolean({ description: 'false: each operation applies or fails on its own (a bulk payment file)' })),
  /** ISO 20022 end-to-end id or UETR of the payment this settles. */
  reference: Type.Optional(Reference),
  memo: Type.Optional(Text(500)),
  /**
   * 32 random bytes chosen by the sender, base64url. Each operation's digest in the hash
   * is salted from it, so a party shown only its own operations cannot guess the others.
   */
  // The canonical base64url of 32 bytes: its last character carries 4 bits and 2 zero bits, so it is one of 16.
  salt: Type.String({ pattern: BASE64URL_32, description: '32 random bytes, base64url (canonical): blinds each operation in the hash' }),
}, { additionalProperties: false });

export type TransactionBody = Static<typeof TransactionBodySchema>;

/**
 * The furthest ahead a transaction's valid-until may be. Admission enforces it, and it
 * bounds how long the state machine remembers the ids it applied.
 */
export const TRANSACTION_VALIDITY_MAX_MS = 24 * 60 * 60 * 1000;

/** The key under which a transaction id is unique: ids are chosen per sender. */
export function transactionKey(sender: string, id: string): string {
  return `${sender}/${id}`;
}
