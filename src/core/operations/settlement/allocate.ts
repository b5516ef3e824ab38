import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor, movementChecks } from '../checks.js';
import { withBalances } from '../effects.js';
import { holdOnPayer } from '../payments/legs.js';
import { legAllocated } from './events.js';
import { legAccounts, legExists, resolveSettlement, settlementAccounts, settlementExists, settlementParties, stillProposed } from './resolution.js';

const Leg = Type.Integer({ minimum: 0, maximum: 15, description: 'the leg, by its position in the settlement' });

/** The sender of a leg sets its amount aside: held on its account until the settlement settles or unwinds. */
export const allocateSettlement = operation({
  family: 'settlement',
  summary: "allocate a leg of a settlement, as its sender: the amount moves into the account's held balance",
  schema: Type.Object({ type: Type.Literal('allocate_settlement'), settlement: Id, leg: Leg }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the owner of the leg's paying account (or a delegate)",
  events: [legAllocated],
  describe: (op) => `allocate leg ${op.leg} of settlement ${op.settlement}`,
}).resolve(resolveSettlement).define({
  checks: [
    settlementExists(),
    legExists(),
    { code: 'not_authorized', field: 'leg', fails: (env, _op, ctx) => !actsFor(ctx, env.from!.owner), explain: (env, op) => `only ${env.from!.owner} (or its delegate) may allocate leg ${op.leg}, from ${env.from!.id}` },
    movementChecks((env) => [env.from!], (env) => env.asset!),
    stillProposed(),
    { code: 'leg_already_allocated', field: 'leg', fails: (env) => env.leg!.allocated, explain: (env, op) => `leg ${op.leg} of settlement ${env.settlement!.id} is allocated already` },
    { code: 'insufficient_funds', field: 'leg', fails: (env) => env.from!.availableMinor < env.leg!.amountMinor, explain: (env) => `${env.from!.id} has ${formatAmount(env.from!.availableMinor, env.asset!.decimals)} available` },
  ],
  apply: (ctx, op, env) => {
    const from = env.from!;
    const leg = env.leg!;
    holdOnPayer(ctx.draft, from, leg.amountMinor);
    ctx.draft.put('settlements', env.settlement!.id, { ...env.settlement!, legs: env.settlement!.legs.map((l, i) => (i === op.leg ? { ...l, allocated: true } : l)) });
    const event = legAllocated.of({ settlement: op.settlement, leg: op.leg, from: from.id, asset: leg.asset, amount: formatAmount(leg.amountMinor, env.asset!.decimals) }, { accounts: legAccounts(env.settlement!), participants: env.settlement!.settlers });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => settlementParties(op.settlement, lookup),
  accounts: (op, lookup) => settlementAccounts(op.settlement, lookup),
  debits: (_op, env) => [{ account: env.from!, minor: env.leg!.amountMinor, to: env.to }],
});
