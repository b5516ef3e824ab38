import { Type, type Static } from 'typebox';
import { Delegates, KycExpiry, ParticipantSchema, type Participant } from '../../entities/index.js';

/** A participant as an operation registers it: what it may omit gets a default. */
export const ParticipantSpec = Type.Object({
  ...ParticipantSchema.properties,
  kycExpiresAtMs: Type.Optional(KycExpiry),
  delegates: Type.Optional(Delegates),
}, { additionalProperties: false });
export type ParticipantSpec = Static<typeof ParticipantSpec>;

/**
 * A participant as registered: a copy of the spec with its defaults, every nested record
 * rebuilt field by field so that its encoding does not depend on the key order the
 * sender happened to use.
 */
export function participantFromSpec(spec: ParticipantSpec): Participant {
  return {
    id: spec.id,
    legalName: spec.legalName,
    lei: spec.lei,
    jurisdiction: spec.jurisdiction,
    roles: [...spec.roles],
    kycStatus: spec.kycStatus,
    kycExpiresAtMs: spec.kycExpiresAtMs ?? null,
    keys: spec.keys.map((key) => ({ id: key.id, publicKey: key.publicKey })),
    delegates: [...(spec.delegates ?? [])],
  };
}
