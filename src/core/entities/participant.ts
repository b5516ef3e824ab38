import { Type, type Static } from 'typebox';
import { ROLES } from '../roles.js';
import { BASE64URL_32, CountryCode, Id, Lei, literals, Name, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

import { KYC_STATUSES } from '../vocabulary.js';

export { KYC_STATUSES, type KycStatus } from '../vocabulary.js';

/** A registered Ed25519 public key: raw 32 bytes, base64url. */
export const PublicKeyEntrySchema = Type.Object({ id: Id, publicKey: Type.String({ pattern: BASE64URL_32, description: 'raw Ed25519 public key, base64url' }) }, { additionalProperties: false });
export type PublicKeyEntry = Readonly<Static<typeof PublicKeyEntrySchema>>;

/** The most keys a participant registers, and the most signatures a transaction carries. */
export const KEYS_MAX = 8;
/** The most delegates (gateways signing for it) a participant names. */
export const DELEGATES_MAX = 16;

export const Roles = Type.Array(literals(ROLES), { minItems: 1, maxItems: ROLES.length, uniqueItems: true });
export const Keys = Type.Array(PublicKeyEntrySchema, { minItems: 1, maxItems: KEYS_MAX });
export const Delegates = Type.Array(Id, { maxItems: DELEGATES_MAX, uniqueItems: true });
export const KycExpiry = Type.Union([TimeMs, Type.Null()], { description: 'when the approval lapses; null: it does not' });

export const ParticipantSchema = Type.Object({
  id: Id,
  legalName: Name,
  lei: Lei,
  jurisdiction: CountryCode,
  roles: Roles,
  kycStatus: literals(KYC_STATUSES),
  kycExpiresAtMs: KycExpiry,
  keys: Keys,
  /** Participants allowed to sign for this one (a gateway acting for its users). */
  delegates: Delegates,
});
export type Participant = Readonly<Static<typeof ParticipantSchema>>;

export const participants = defineEntity({
  table: 'participants',
  description: 'institutions on the network, with their roles, KYC status and keys',
  schema: ParticipantSchema,
  key: (participant) => participant.id,
});
