import type { AppliedEvent, BalanceAfter, DomainEvent } from '../events.js';
import type { Asset } from '../entities/index.js';
import type { Draft } from '../state.js';

/** The event with the balances it left on the accounts it names (each once). */
export function withBalances(draft: Draft, event: DomainEvent): AppliedEvent {
  const balances: BalanceAfter[] = [];
  for (const id of new Set(event.accounts)) {
    const account = draft.get('accounts', id);
    if (account !== undefined) balances.push({ account: id, availableMinor: account.availableMinor, heldMinor: account.heldMinor });
  }
  return { event, balances };
}

/** Who is told of a change of an asset's supply: its issuer, and its reserve manager if it has one (it throttles minting on it). */
export function supplyWatchers(draft: Draft, asset: Asset): string[] {
  const manager = draft.get('reserve_mandates', asset.id)?.manager;
  return manager === undefined ? [asset.issuer] : [asset.issuer, manager];
}
