import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor } from '../checks.js';
import { legApproved } from './events.js';
import { legAccounts, legExists, resolveSettlement, settlementAccounts, settlementExists, settlementParties, stillProposed } from './resolution.js';

/** The receiver of a leg accepts what it will receive (and so, in a DvP, what it pays against). */
export const approveSettlement = operation({
  family: 'settlement',
  summary: 'approve a leg of a settlement, as its receiver',
  schema: Type.Object({ type: Type.Literal('approve_settlement'), settlement: Id, leg: Type.Integer({ minimum: 0, maximum: 15 }) }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the owner of the leg's receiving account (or a delegate)",
  events: [legApproved],
  describe: (op) => `approve leg ${op.leg} of settlement ${op.settlement}`,
}).resolve(resolveSettlement).define({
  checks: [
    settlementExists(),
    legExists(),
    { code: 'not_authorized', field: 'leg', fails: (env, _op, ctx) => !actsFor(ctx, env.to!.owner), explain: (env, op) => `only ${env.to!.owner} (or its delegate) may approve leg ${op.leg}, to ${env.to!.id}` },
    stillProposed(),
    { code: 'approval_already_given', field: 'leg', fails: (env) => env.leg!.approved, explain: (env, op) => `leg ${op.leg} of settlement ${env.settlement!.id} is approved already` },
  ],
  apply: (ctx, op, env) => {
    const settlement = env.settlement!;
    ctx.draft.put('settlements', settlement.id, { ...settlement, legs: settlement.legs.map((l, i) => (i === op.leg ? { ...l, approved: true } : l)) });
    const event = legApproved.of({ settlement: op.settlement, leg: op.leg, to: env.to!.id }, { accounts: legAccounts(settlement), participants: settlement.settlers });
    return [{ event, balances: [] }];
  },
  parties: (op, lookup) => settlementParties(op.settlement, lookup),
  accounts: (op, lookup) => settlementAccounts(op.settlement, lookup),
});
