import { Type } from 'typebox';
import { addChecked } from '../../amount.js';
import type { Account, Asset } from '../../entities/index.js';
import { releaseHeld } from '../payments/legs.js';
import { operation, type OperationContext } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor, movementChecks } from '../checks.js';
import { withBalances } from '../effects.js';
import { settlementSettled } from './events.js';
import { legAccounts, legData, legOwners, resolveSettlement, settlementAccounts, settlementExists, settlementParties, stillProposed, type SettlementEnv } from './resolution.js';

interface SettleEnv extends SettlementEnv {
  accounts: Account[];
  assets: Asset[];
}

function resolve(ctx: OperationContext, op: { settlement: string }): SettleEnv {
  const env = resolveSettlement(ctx, op);
  const settlement = env.settlement;
  return {
    ...env,
    accounts: settlement === undefined ? [] : legAccounts(settlement).map((id) => ctx.draft.get('accounts', id)!),
    assets: settlement === undefined ? [] : [...new Set(settlement.legs.map((leg) => leg.asset))].map((id) => ctx.draft.get('assets', id)!),
  };
}

function mayTrigger(env: SettleEnv, ctx: OperationContext): boolean {
  const settlers = env.settlement!.settlers;
  return settlers.length > 0 ? settlers.includes(ctx.sender.id) : legOwners(ctx.draft, env.settlement!).some((owner) => actsFor(ctx, owner));
}

/** Every leg's balance change at once: senders' held amounts leave, receivers' available grow. */
function credits(env: SettleEnv): Map<string, bigint> {
  const credit = new Map<string, bigint>();
  for (const leg of env.settlement!.legs) credit.set(leg.to, (credit.get(leg.to) ?? 0n) + leg.amountMinor);
  return credit;
}

/** Once every sender allocated and every receiver approved, a settler moves every leg in one step. */
export const settle = operation({
  family: 'settlement',
  summary: 'settle: every leg moves in one atomic step, once all are allocated and approved',
  schema: Type.Object({ type: Type.Literal('settle'), settlement: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer', 'operator'],
  consent: 'a settler the settlement names, or (when it names none) any party to it',
  events: [settlementSettled],
  describe: (op) => `settle settlement ${op.settlement}`,
}).resolve(resolve).define({
  checks: [
    settlementExists(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !mayTrigger(env, ctx), explain: (env, _op, ctx) => `${ctx.sender.id} may not settle ${env.settlement!.id}${env.settlement!.settlers.length > 0 ? ` (its settlers: ${env.settlement!.settlers.join(', ')})` : ': only a party to it may'}` },
    movementChecks((env) => env.accounts, (env) => env.assets),
    stillProposed(),
    {
      code: 'settlement_incomplete', fails: (env) => env.settlement!.legs.some((leg) => !leg.allocated || !leg.approved),
      explain: (env) => `settlement ${env.settlement!.id} waits for ${env.settlement!.legs.flatMap((leg, i) => [...(leg.allocated ? [] : [`leg ${i} to be allocated by the owner of ${leg.from}`]), ...(leg.approved ? [] : [`leg ${i} to be approved by the owner of ${leg.to}`])]).join('; ')}`,
    },
    { code: 'amount_overflow', fails: (env) => [...credits(env)].some(([id, minor]) => addChecked(env.accounts.find((a) => a.id === id)!.availableMinor, minor) === null), explain: () => "a receiver's balance would pass the ledger's ceiling" },
  ],
  apply: (ctx, _op, env) => {
    const settlement = env.settlement!;
    for (const leg of settlement.legs) releaseHeld(ctx.draft, leg.from, leg.to, leg.amountMinor, leg.amountMinor);
    ctx.draft.put('settlements', settlement.id, { ...settlement, status: 'settled' });
    const event = settlementSettled.of({ settlement: settlement.id, settledBy: ctx.sender.id, legs: legData(ctx.draft, settlement) }, { accounts: legAccounts(settlement), participants: settlement.settlers });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => settlementParties(op.settlement, lookup),
  accounts: (op, lookup) => settlementAccounts(op.settlement, lookup),
});
