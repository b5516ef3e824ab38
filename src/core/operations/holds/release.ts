import { formatAmount } from '../../amount.js';
import type { Account, Hold, HoldStatus } from '../../entities/index.js';
import type { Draft } from '../../state.js';

function account(draft: Draft, id: string): Account {
  const found = draft.get('accounts', id);
  if (found === undefined) throw new Error(`invariant: hold refers to missing account ${id}`);
  return found;
}

/**
 * Resolves a hold: `postedMinor` goes to the payee, the rest back to the payer's
 * available balance. The caller checked every rule; a payee credit that would overflow
 * was checked too (nothing else here can).
 */
export function release(draft: Draft, hold: Hold, postedMinor: bigint, status: Exclude<HoldStatus, 'pending'>): void {
  const payer = account(draft, hold.payer);
  draft.put('accounts', payer.id, { ...payer, heldMinor: payer.heldMinor - hold.amountMinor, availableMinor: payer.availableMinor + (hold.amountMinor - postedMinor) });
  if (postedMinor > 0n) {
    const payee = account(draft, hold.payee);
    draft.put('accounts', payee.id, { ...payee, availableMinor: payee.availableMinor + postedMinor });
  }
  draft.put('holds', hold.id, { ...hold, postedMinor, status });
}

/** The decimal form of a hold's amounts, for its events. */
export function holdAmount(draft: Draft, hold: Hold, minor: bigint): string {
  const asset = draft.get('assets', hold.asset);
  if (asset === undefined) throw new Error(`invariant: hold ${hold.id} refers to missing asset ${hold.asset}`);
  return formatAmount(minor, asset.decimals);
}
