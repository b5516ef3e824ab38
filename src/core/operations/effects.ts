import type { AppliedEvent, BalanceAfter, DomainEvent } from '../events.js';
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
