import { formatAmount } from '../../amount.js';
import type { Hold, HoldStatus } from '../../entities/index.js';
import type { Draft } from '../../state.js';
import { releaseHeld } from '../payments/legs.js';

/**
 * Resolves a hold: `postedMinor` goes to the payee, the rest back to the payer's
 * available balance. The caller checked every rule; a payee credit that would overflow
 * was checked too (nothing else here can).
 */
export function release(draft: Draft, hold: Hold, postedMinor: bigint, status: Exclude<HoldStatus, 'pending'>): void {
  releaseHeld(draft, hold.payer, hold.payee, hold.amountMinor, postedMinor);
  draft.put('holds', hold.id, { ...hold, postedMinor, status });
}

/** The decimal form of a hold's amounts, for its events. */
export function holdAmount(draft: Draft, hold: Hold, minor: bigint): string {
  const asset = draft.get('assets', hold.asset);
  if (asset === undefined) throw new Error(`invariant: hold ${hold.id} refers to missing asset ${hold.asset}`);
  return formatAmount(minor, asset.decimals);
}
