import { addChecked, formatAmount } from '../../amount.js';
import { lockedMinor, trancheReleasable, type Account, type Asset, type ConditionalPayment, type Tranche } from '../../entities/index.js';
import type { AppliedEvent } from '../../events.js';
import type { Check, Lookup, OperationContext } from '../../operation.js';
import type { Draft } from '../../state.js';
import { movementProblem, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { releaseHeld } from '../payments/legs.js';
import { conditionalReturned, releaseDeferred, trancheReleased } from './events.js';

/** What an operation on an existing conditional payment names: the payment, one of its tranches, its accounts and asset. */
export interface ConditionalEnv {
  payment: ConditionalPayment | undefined;
  tranche: Tranche | undefined;
  payer: Account | undefined;
  payee: Account | undefined;
  asset: Asset | undefined;
}

export function resolveConditional(ctx: OperationContext, op: { payment: string; tranche?: string }): ConditionalEnv {
  const payment = ctx.draft.get('conditional_payments', op.payment);
  if (payment === undefined) return { payment, tranche: undefined, payer: undefined, payee: undefined, asset: undefined };
  return {
    payment,
    tranche: op.tranche === undefined ? undefined : payment.tranches.find((tranche) => tranche.id === op.tranche),
    payer: ctx.draft.get('accounts', payment.payer),
    payee: ctx.draft.get('accounts', payment.payee),
    asset: ctx.draft.get('assets', payment.asset),
  };
}

export function conditionalExists<Op, Env extends ConditionalEnv>(): Check<Op, Env> {
  return mustExist('conditional_payment_not_found', 'payment', 'conditional payment', (env) => env.payment);
}

export function trancheExists<Op, Env extends ConditionalEnv>(): Check<Op, Env> {
  return { code: 'tranche_not_found', field: 'tranche', fails: (env) => env.tranche === undefined, explain: (env, op) => `conditional payment ${env.payment!.id} has no tranche ${JSON.stringify((op as { tranche?: string }).tranche)} (it has ${env.payment!.tranches.map((t) => t.id).join(', ')})` };
}

/** Still open: not paid out, cancelled or returned, and its deadline not passed (even if no block returned it yet). */
export function stillOpen<Op, Env extends ConditionalEnv>(): Check<Op, Env>[] {
  return [
    { code: 'payment_closed', field: 'payment', fails: (env) => env.payment!.status !== 'active', explain: (env) => `conditional payment ${env.payment!.id} is ${env.payment!.status}` },
    { code: 'deadline_passed', field: 'payment', fails: (env, _op, ctx) => env.payment!.disputedBy === null && env.payment!.deadlineMs <= ctx.blockTimeMs, explain: (env) => `conditional payment ${env.payment!.id} reached its deadline; what was locked returns to ${env.payment!.payer}` },
  ];
}

export function notDisputed<Op, Env extends ConditionalEnv>(): Check<Op, Env> {
  return { code: 'payment_disputed', field: 'payment', fails: (env) => env.payment!.disputedBy !== null, explain: (env) => `conditional payment ${env.payment!.id} is disputed by ${env.payment!.disputedBy}: only its arbiter ${env.payment!.arbiter} may act until it decides` };
}

export function tranchePending<Op, Env extends ConditionalEnv>(): Check<Op, Env> {
  return { code: 'tranche_already_released', field: 'tranche', fails: (env) => env.tranche!.status !== 'pending', explain: (env) => `tranche ${env.tranche!.id} was ${env.tranche!.status} already` };
}

/** Why the payee cannot receive now (checked before any automatic payment, which must never fail), or null. */
export function receiveProblem(draft: Draft, payment: ConditionalPayment, amountMinor: bigint, atMs: number): string | null {
  const payee = draft.get('accounts', payment.payee)!;
  const moving = movementProblem(draft, [draft.get('accounts', payment.payer)!, payee], draft.get('assets', payment.asset)!, atMs);
  if (moving !== null) return moving;
  return addChecked(payee.availableMinor, amountMinor) === null ? `${payee.id}'s balance would pass the ledger's ceiling` : null;
}

function withTranche(payment: ConditionalPayment, id: string, change: Partial<Tranche>): ConditionalPayment {
  return { ...payment, tranches: payment.tranches.map((tranche) => (tranche.id === id ? { ...tranche, ...change } : tranche)) };
}

/** Closes the payment once nothing is left pending. */
function settled(payment: ConditionalPayment): ConditionalPayment {
  return payment.tranches.some((tranche) => tranche.status === 'pending') ? payment : { ...payment, status: 'completed' };
}

/** Pays a tranche: its amount leaves the payer's held balance for the payee's available one. The caller checked every rule. */
export function payTranche(draft: Draft, payment: ConditionalPayment, tranche: Tranche): AppliedEvent {
  releaseHeld(draft, payment.payer, payment.payee, tranche.amountMinor, tranche.amountMinor);
  draft.put('conditional_payments', payment.id, settled(withTranche(payment, tranche.id, { status: 'released', deferred: false })));
  const asset = draft.get('assets', payment.asset)!;
  const event = trancheReleased.of({ payment: payment.id, tranche: tranche.id, from: payment.payer, to: payment.payee, asset: asset.id, amount: formatAmount(tranche.amountMinor, asset.decimals) }, { accounts: [payment.payer, payment.payee] });
  return withBalances(draft, event);
}

/**
 * With `autoRelease`, pays every tranche whose conditions now hold; a tranche the payee
 * cannot receive now is marked deferred (an explicit release pays it later) instead.
 */
export function releaseDue(draft: Draft, id: string, atMs: number): AppliedEvent[] {
  const events: AppliedEvent[] = [];
  let payment = draft.get('conditional_payments', id)!;
  if (!payment.autoRelease || payment.status !== 'active' || payment.disputedBy !== null) return events;
  for (const tranche of payment.tranches) {
    if (tranche.deferred || !trancheReleasable(tranche, atMs)) continue;
    const problem = receiveProblem(draft, payment, tranche.amountMinor, atMs);
    if (problem === null) events.push(payTranche(draft, payment, tranche));
    else {
      draft.put('conditional_payments', id, withTranche(payment, tranche.id, { deferred: true }));
      events.push({ event: releaseDeferred.of({ payment: id, tranche: tranche.id, reason: problem }, { accounts: [payment.payer, payment.payee] }), balances: [] });
    }
    payment = draft.get('conditional_payments', id)!;
  }
  return events;
}

/** Records an approval or attestation on a tranche. */
export function updateTranche(draft: Draft, payment: ConditionalPayment, id: string, change: Partial<Tranche>): void {
  draft.put('conditional_payments', payment.id, withTranche(payment, id, change));
}

/**
 * Ends the payment: `toPayeeMinor` of what is locked goes to the payee (an arbiter's
 * split), the rest back to the payer's available balance; pending tranches are returned.
 */
export function closeConditional(draft: Draft, payment: ConditionalPayment, status: 'cancelled' | 'expired' | 'completed', reason: 'cancelled' | 'expired' | 'arbiter', toPayeeMinor = 0n): AppliedEvent[] {
  const locked = lockedMinor(payment);
  releaseHeld(draft, payment.payer, payment.payee, locked, toPayeeMinor);
  draft.put('conditional_payments', payment.id, {
    ...payment, status, disputedBy: null, awardedMinor: toPayeeMinor,
    tranches: payment.tranches.map((tranche) => (tranche.status === 'pending' ? { ...tranche, status: 'returned' as const } : tranche)),
  });
  const asset = draft.get('assets', payment.asset)!;
  if (locked - toPayeeMinor === 0n) return [];
  const event = conditionalReturned.of({ payment: payment.id, from: payment.payer, to: payment.payee, asset: asset.id, amount: formatAmount(locked - toPayeeMinor, asset.decimals), reason }, { accounts: [payment.payer, payment.payee] });
  return [withBalances(draft, event)];
}

/** Everyone a conditional payment concerns: the owners of both accounts, its approvers, attesters and arbiter. */
export function conditionalParties(payment: string, lookup: Lookup): (string | undefined)[] {
  const found = lookup.conditionalPayment(payment);
  if (found === undefined) return [];
  return [lookup.ownerOf(found.payer), lookup.ownerOf(found.payee), ...found.participants];
}

export function conditionalAccounts(payment: string, lookup: Lookup): string[] {
  const found = lookup.conditionalPayment(payment);
  return found === undefined ? [] : [found.payer, found.payee];
}
