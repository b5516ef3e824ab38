import { formatAmount, type AmountParse } from '../../amount.js';
import type { Account, Asset } from '../../entities/index.js';
import type { Check, OperationContext } from '../../operation.js';
import type { Draft } from '../../state.js';
import { actsFor, amountIn, mustExist } from '../checks.js';

/** What a payer-to-payee movement (a transfer, a hold) names, looked up. */
export interface Legs {
  payer: Account | undefined;
  payee: Account | undefined;
  asset: Asset | undefined;
  amount: AmountParse | undefined;
  minor: bigint;
}

export function resolveLegs(ctx: OperationContext, op: { from: string; to: string; amount: string }): Legs {
  const payer = ctx.draft.get('accounts', op.from);
  const payee = ctx.draft.get('accounts', op.to);
  const asset = payer === undefined ? undefined : ctx.draft.get('assets', payer.asset);
  const amount = amountIn(op, 'amount', asset);
  return { payer, payee, asset, amount, minor: amount?.ok === true ? amount.minor : 0n };
}

export function legsExist<Op, Env extends Legs>(): Check<Op, Env>[] {
  return [
    mustExist('account_not_found', 'from', 'account', (env) => env.payer),
    mustExist('account_not_found', 'to', 'account', (env) => env.payee),
  ];
}

export function sameAsset<Op, Env extends Legs>(): Check<Op, Env> {
  return { code: 'asset_mismatch', field: 'to', fails: (env) => env.payee!.asset !== env.asset!.id, explain: (env) => `${env.payer!.id} holds ${env.asset!.id}, ${env.payee!.id} holds ${env.payee!.asset}` };
}

export function payerConsents<Op, Env extends Legs>(): Check<Op, Env> {
  return { code: 'not_authorized', field: 'from', fails: (env, _op, ctx) => !actsFor(ctx, env.payer!.owner), explain: (env) => `only ${env.payer!.owner} (or its delegate) may pay from ${env.payer!.id}` };
}

export function payerHasFunds<Op, Env extends Legs>(): Check<Op, Env> {
  return { code: 'insufficient_funds', field: 'amount', fails: (env) => env.payer!.availableMinor < env.minor, explain: (env) => `${env.payer!.id} has ${formatAmount(env.payer!.availableMinor, env.asset!.decimals)} available` };
}

/** Sets `minor` of the payer's available balance aside in its held balance (a hold, a conditional payment, a settlement leg). */
export function holdOnPayer(draft: Draft, payer: Account, minor: bigint): void {
  draft.put('accounts', payer.id, { ...payer, availableMinor: payer.availableMinor - minor, heldMinor: payer.heldMinor + minor });
}

/**
 * The inverse of holdOnPayer, for every way held money leaves the held balance: `heldMinor`
 * leaves the payer's held balance, `toPayeeMinor` of it goes to the payee's available
 * balance and the rest back to the payer's. The caller checked every rule (overflow too).
 */
export function releaseHeld(draft: Draft, payerId: string, payeeId: string, heldMinor: bigint, toPayeeMinor: bigint): void {
  const payer = draft.get('accounts', payerId);
  if (payer === undefined) throw new Error(`invariant: held funds on missing account ${payerId}`);
  draft.put('accounts', payer.id, { ...payer, heldMinor: payer.heldMinor - heldMinor, availableMinor: payer.availableMinor + (heldMinor - toPayeeMinor) });
  if (toPayeeMinor === 0n) return;
  const payee = draft.get('accounts', payeeId);
  if (payee === undefined) throw new Error(`invariant: held funds paid to missing account ${payeeId}`);
  draft.put('accounts', payee.id, { ...payee, availableMinor: payee.availableMinor + toPayeeMinor });
}
