import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { Amount, Hex32, Id, Text, TimeMs } from '../../schema.js';

export const conditionalCreated = defineEvent('conditional_payment_created', "funds moved into the payer's held balance toward a payee, to be paid tranche by tranche under conditions", Type.Object({
  payment: Id, from: Id, to: Id, asset: Id, amount: Amount, deadlineMs: TimeMs, tranches: Type.Array(Type.Object({ tranche: Id, amount: Amount })),
}));
export const conditionalApproved = defineEvent('conditional_approved', "an approver named by a tranche gave its approval", Type.Object({ payment: Id, tranche: Id, approver: Id, approvals: Type.Integer(), required: Type.Integer() }));
export const conditionalAttested = defineEvent('conditional_attested', 'a registered attester attested a document a tranche waits for', Type.Object({ payment: Id, tranche: Id, attester: Id, documentType: Id, documentHash: Hex32 }));
export const trancheReleased = defineEvent('tranche_released', "a tranche's conditions held: its amount moved from the payer's held balance to the payee", Type.Object({ payment: Id, tranche: Id, from: Id, to: Id, asset: Id, amount: Amount }));
export const releaseDeferred = defineEvent('tranche_release_deferred', 'a tranche met its conditions but could not be paid automatically (the payee cannot receive now): it waits for an explicit release', Type.Object({ payment: Id, tranche: Id, reason: Text(200) }));
export const conditionalReturned = defineEvent('conditional_payment_returned', 'what was still locked returned to the payer: the payment was cancelled, reached its deadline, or the arbiter so decided', Type.Object({
  payment: Id, from: Id, to: Id, asset: Id, amount: Amount, reason: Type.Union([Type.Literal('cancelled'), Type.Literal('expired'), Type.Literal('arbiter')]),
}));
export const conditionalDisputed = defineEvent('conditional_payment_disputed', 'a party disputed the payment: nothing is released until the arbiter decides', Type.Object({ payment: Id, by: Id, arbiter: Id, reason: Text(500) }));
export const disputeDecided = defineEvent('conditional_dispute_decided', 'the arbiter decided a dispute: release resumes, or what was locked is split between payee and payer', Type.Object({
  payment: Id, arbiter: Id, decision: Type.Union([Type.Literal('resume'), Type.Literal('settle')]), toPayee: Amount, toPayer: Amount,
}));
