import type { OperationContext, OperationOutcome } from '../context.js';
import { signedByRole } from '../context.js';
import type { Operation, Participant, ParticipantChanges, ParticipantSpec } from '../types.js';

/** A participant as registered: a copy of the spec, with defaults for what it may omit. */
export function participantFromSpec(spec: ParticipantSpec): Participant {
  return {
    id: spec.id,
    legalName: spec.legalName,
    lei: spec.lei,
    jurisdiction: spec.jurisdiction,
    roles: [...spec.roles],
    kycStatus: spec.kycStatus,
    kycExpiresAtMs: spec.kycExpiresAtMs ?? null,
    keys: spec.keys.map((key) => ({ ...key })),
    delegates: [...(spec.delegates ?? [])],
  };
}

type Register = Extract<Operation, { type: 'register_participant' }>;
type Update = Extract<Operation, { type: 'update_participant' }>;

const KYC_FIELDS: ReadonlySet<keyof ParticipantChanges> = new Set(['kycStatus', 'kycExpiresAtMs']);

export function registerParticipant(ctx: OperationContext, op: Register): OperationOutcome {
  const spec = op.participant;
  if (ctx.draft.get('participants', spec.id) !== undefined) return 'already_exists';
  for (const delegate of spec.delegates ?? []) {
    if (ctx.draft.get('participants', delegate) === undefined) return 'participant_not_found';
  }
  if (!signedByRole(ctx, 'operator')) return 'not_authorized';
  const participant = participantFromSpec(spec);
  ctx.draft.put('participants', participant.id, participant);
  ctx.parties.add(participant.id);
  return null;
}

/** The operator changes anything; compliance may change only KYC status and expiry. */
export function updateParticipant(ctx: OperationContext, op: Update): OperationOutcome {
  const current = ctx.draft.get('participants', op.participant);
  if (current === undefined) return 'participant_not_found';
  for (const delegate of op.changes.delegates ?? []) {
    if (ctx.draft.get('participants', delegate) === undefined) return 'participant_not_found';
  }
  const kycOnly = Object.keys(op.changes).every((field) => KYC_FIELDS.has(field as keyof ParticipantChanges));
  const allowed = signedByRole(ctx, 'operator') || (kycOnly && signedByRole(ctx, 'compliance'));
  if (!allowed) return 'not_authorized';
  const { changes } = op;
  const next: Participant = {
    ...current,
    ...(changes.legalName !== undefined && { legalName: changes.legalName }),
    ...(changes.jurisdiction !== undefined && { jurisdiction: changes.jurisdiction }),
    ...(changes.roles !== undefined && { roles: [...changes.roles] }),
    ...(changes.kycStatus !== undefined && { kycStatus: changes.kycStatus }),
    ...(changes.kycExpiresAtMs !== undefined && { kycExpiresAtMs: changes.kycExpiresAtMs }),
    ...(changes.keys !== undefined && { keys: changes.keys.map((key) => ({ ...key })) }),
    ...(changes.delegates !== undefined && { delegates: [...changes.delegates] }),
  };
  ctx.draft.put('participants', next.id, next);
  ctx.parties.add(next.id);
  return null;
}
