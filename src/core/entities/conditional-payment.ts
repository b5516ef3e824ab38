import { Type, type Static } from 'typebox';
import { Hex32, Id, literals, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

export const CONDITIONAL_STATUSES = ['active', 'completed', 'cancelled', 'expired'] as const;
export type ConditionalStatus = (typeof CONDITIONAL_STATUSES)[number];
export const TRANCHE_STATUSES = ['pending', 'released', 'returned'] as const;

/** An attestation a tranche waits for: this attester, about a document of this type. */
export const AttestationRequirement = Type.Object({ attester: Id, documentType: Id });
/** An attestation given: the document's SHA-256, as the attester signed it. */
export const GivenAttestation = Type.Object({ attester: Id, documentType: Id, documentHash: Hex32 });

/** One milestone: its share of the amount and every condition that must hold before it is paid. */
export const TrancheSchema = Type.Object({
  id: Id,
  amountMinor: Type.BigInt(),
  /** Participants whose approvals count; `approvalsRequired` of them must approve (k of n). */
  approvers: Type.Array(Id),
  approvalsRequired: Type.Integer({ minimum: 0 }),
  attestations: Type.Array(AttestationRequirement),
  /** Not paid before this block time (a time lock), or null. */
  notBeforeMs: Type.Union([TimeMs, Type.Null()]),
  approvals: Type.Array(Id),
  attested: Type.Array(GivenAttestation),
  status: literals(TRANCHE_STATUSES),
  /** An automatic release found the payee unable to receive (frozen, paused, KYC lapsed): it waits for an explicit release. */
  deferred: Type.Boolean(),
});
export type Tranche = Readonly<Static<typeof TrancheSchema>>;

/**
 * Funds locked on the payer's account (its held balance) toward a payee, paid out tranche
 * by tranche as each tranche's conditions hold; whatever is not paid by the deadline
 * returns to the payer at block time. A dispute stops every release until the arbiter decides.
 */
export const ConditionalPaymentSchema = Type.Object({
  id: Id,
  asset: Id,
  payer: Id,
  payee: Id,
  amountMinor: Type.BigInt(),
  deadlineMs: TimeMs,
  /** Pay a tranche the moment its last condition holds (at the approval, the attestation or the block of its time lock). */
  autoRelease: Type.Boolean(),
  arbiter: Type.Union([Id, Type.Null()]),
  /** Who raised the dispute that stops release, while it stands. */
  disputedBy: Type.Union([Id, Type.Null()]),
  status: literals(CONDITIONAL_STATUSES),
  tranches: Type.Array(TrancheSchema),
  /** What the arbiter awarded the payee of what was locked, when it settled a dispute. */
  awardedMinor: Type.BigInt(),
});
export type ConditionalPayment = Readonly<Static<typeof ConditionalPaymentSchema>>;

/** The attestations a tranche waits for that no one has given yet. */
export function missingAttestations(tranche: Tranche): Tranche['attestations'] {
  return tranche.attestations.filter((needed) => !tranche.attested.some((given) => given.attester === needed.attester && given.documentType === needed.documentType));
}

/** Whether the approvals and attestations a tranche needs are all given (its time lock aside). */
export function trancheConsented(tranche: Tranche): boolean {
  return tranche.approvals.length >= tranche.approvalsRequired && missingAttestations(tranche).length === 0;
}

/** Whether a pending tranche may be paid at `atMs`. */
export function trancheReleasable(tranche: Tranche, atMs: number): boolean {
  return tranche.status === 'pending' && trancheConsented(tranche) && (tranche.notBeforeMs === null || tranche.notBeforeMs <= atMs);
}

/** What is still locked: the pending tranches' amounts. */
export function lockedMinor(payment: ConditionalPayment): bigint {
  return payment.tranches.reduce((sum, tranche) => (tranche.status === 'pending' ? sum + tranche.amountMinor : sum), 0n);
}

/**
 * When the scheduler must look again: the deadline, or sooner the time lock of a tranche
 * that is consented and released automatically. A disputed payment waits for its arbiter.
 */
function dueAtMs(payment: ConditionalPayment): number | null {
  if (payment.status !== 'active' || payment.disputedBy !== null) return null;
  let due = payment.deadlineMs;
  if (payment.autoRelease) {
    for (const tranche of payment.tranches) {
      if (tranche.status === 'pending' && !tranche.deferred && tranche.notBeforeMs !== null && trancheConsented(tranche)) due = Math.min(due, tranche.notBeforeMs);
    }
  }
  return due;
}

export const conditionalPayments = defineEntity({
  table: 'conditional_payments',
  description: 'funds locked toward a payee, paid tranche by tranche as approvals, attestations and time locks allow, or returned at the deadline',
  schema: ConditionalPaymentSchema,
  key: (payment) => payment.id,
  dueAtMs,
});
