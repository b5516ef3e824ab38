import { formatAmount } from '../../amount.js';
import type { Account, Asset, Leg, Settlement } from '../../entities/index.js';
import type { AppliedEvent } from '../../events.js';
import type { Check, Lookup, OperationContext } from '../../operation.js';
import type { Draft } from '../../state.js';
import { mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { releaseHeld } from '../payments/legs.js';
import { settlementUnwound } from './events.js';

/** What an operation on an existing settlement names: the settlement, and one of its legs with its accounts and asset. */
export interface SettlementEnv {
  settlement: Settlement | undefined;
  leg: Leg | undefined;
  from: Account | undefined;
  to: Account | undefined;
  asset: Asset | undefined;
}

export function resolveSettlement(ctx: OperationContext, op: { settlement: string; leg?: number }): SettlementEnv {
  const settlement = ctx.draft.get('settlements', op.settlement);
  const leg = op.leg === undefined ? undefined : settlement?.legs[op.leg];
  return {
    settlement, leg,
    from: leg === undefined ? undefined : ctx.draft.get('accounts', leg.from),
    to: leg === undefined ? undefined : ctx.draft.get('accounts', leg.to),
    asset: leg === undefined ? undefined : ctx.draft.get('assets', leg.asset),
  };
}

export function settlementExists<Op, Env extends SettlementEnv>(): Check<Op, Env> {
  return mustExist('settlement_not_found', 'settlement', 'settlement', (env) => env.settlement);
}

export function legExists<Op extends { leg: number }, Env extends SettlementEnv>(): Check<Op, Env> {
  return { code: 'leg_not_found', field: 'leg', fails: (env) => env.leg === undefined, explain: (env, op) => `settlement ${env.settlement!.id} has legs 0 to ${env.settlement!.legs.length - 1}, not ${op.leg}` };
}

/** Still open: not settled, cancelled or unwound, and its deadline not passed (even if no block unwound it yet). */
export function stillProposed<Op, Env extends SettlementEnv>(): Check<Op, Env>[] {
  return [
    { code: 'settlement_closed', field: 'settlement', fails: (env) => env.settlement!.status !== 'proposed', explain: (env) => `settlement ${env.settlement!.id} is ${env.settlement!.status}` },
    { code: 'deadline_passed', field: 'settlement', fails: (env, _op, ctx) => env.settlement!.deadlineMs <= ctx.blockTimeMs, explain: (env) => `settlement ${env.settlement!.id} reached its deadline; its allocations return to their senders` },
  ];
}

/** The owners of the accounts a settlement's legs name (each once). */
export function legOwners(draft: Draft, settlement: Settlement): string[] {
  return [...new Set(settlement.legs.flatMap((leg) => [draft.get('accounts', leg.from)!.owner, draft.get('accounts', leg.to)!.owner]))];
}

export function legAccounts(settlement: Settlement): string[] {
  return [...new Set(settlement.legs.flatMap((leg) => [leg.from, leg.to]))];
}

export function legData(draft: Draft, settlement: Settlement) {
  return settlement.legs.map((leg, index) => ({ leg: index, from: leg.from, to: leg.to, asset: leg.asset, amount: formatAmount(leg.amountMinor, draft.get('assets', leg.asset)!.decimals) }));
}

/** Returns every allocation to its sender's available balance and closes the settlement. */
export function unwind(draft: Draft, settlement: Settlement, reason: 'cancelled' | 'expired'): AppliedEvent[] {
  for (const leg of settlement.legs) if (leg.allocated) releaseHeld(draft, leg.from, leg.to, leg.amountMinor, 0n);
  draft.put('settlements', settlement.id, { ...settlement, status: reason });
  const event = settlementUnwound.of({ settlement: settlement.id, reason, legs: legData(draft, settlement) }, { accounts: legAccounts(settlement), participants: settlement.settlers });
  return [withBalances(draft, event)];
}

export function settlementParties(id: string, lookup: Lookup): (string | undefined)[] {
  const found = lookup.settlement(id);
  return found === undefined ? [] : [...found.accounts.map((account) => lookup.ownerOf(account)), ...found.participants];
}

export function settlementAccounts(id: string, lookup: Lookup): readonly string[] {
  return lookup.settlement(id)?.accounts ?? [];
}
