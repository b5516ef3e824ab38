import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { Amount, Id, TimeMs } from '../../schema.js';

const LegData = Type.Object({ leg: Type.Integer(), from: Id, to: Id, asset: Id, amount: Amount });

export const settlementProposed = defineEvent('settlement_proposed', 'legs were proposed to settle together; each sender must allocate and each receiver approve', Type.Object({ settlement: Id, proposer: Id, deadlineMs: TimeMs, legs: Type.Array(LegData) }));
export const legAllocated = defineEvent('settlement_leg_allocated', "a sender allocated its leg: the amount moved into its held balance", Type.Object({ settlement: Id, leg: Type.Integer(), from: Id, asset: Id, amount: Amount }));
export const legApproved = defineEvent('settlement_leg_approved', 'a receiver approved its leg', Type.Object({ settlement: Id, leg: Type.Integer(), to: Id }));
export const settlementSettled = defineEvent('settlement_settled', 'every leg moved, in one atomic step', Type.Object({ settlement: Id, settledBy: Id, legs: Type.Array(LegData) }));
export const settlementUnwound = defineEvent('settlement_unwound', 'the settlement was cancelled or reached its deadline: every allocation returned to its sender', Type.Object({
  settlement: Id, reason: Type.Union([Type.Literal('cancelled'), Type.Literal('expired')]), legs: Type.Array(LegData),
}));
