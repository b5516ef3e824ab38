import { allocatedFrom, lockedMinor } from './entities/index.js';
import type { LedgerState } from './state.js';

/** A breach of a ledger invariant, named so an operator can find it. */
export interface Violation {
  readonly invariant: 'supply' | 'negative_balance' | 'held_balance' | 'minting_throttle';
  readonly subject: string;
  readonly detail: string;
}

/**
 * Checks DESIGN §5 on a whole state: per asset, the balances add up to issued minus
 * redeemed; no balance is negative; each account's held balance is exactly its pending holds
 * what its active conditional payments still lock, and its allocations to open settlements;
 * while an asset's minting is throttled no minter may mint past the ceiling, and nothing is
 * withheld from a minter of an asset that is not throttled.
 */
export function checkInvariants(state: LedgerState): Violation[] {
  const violations: Violation[] = [];
  const balanceByAsset = new Map<string, bigint>();
  const heldByAccount = new Map<string, bigint>();
  for (const hold of state.holds.values()) {
    if (hold.status === 'pending') heldByAccount.set(hold.payer, (heldByAccount.get(hold.payer) ?? 0n) + hold.amountMinor);
  }
  for (const payment of state.conditional_payments.values()) {
    if (payment.status === 'active') heldByAccount.set(payment.payer, (heldByAccount.get(payment.payer) ?? 0n) + lockedMinor(payment));
  }
  for (const settlement of state.settlements.values()) {
    for (const account of new Set(settlement.legs.map((leg) => leg.from))) heldByAccount.set(account, (heldByAccount.get(account) ?? 0n) + allocatedFrom(settlement, account));
  }
  for (const account of state.accounts.values()) {
    if (account.availableMinor < 0n || account.heldMinor < 0n) {
      violations.push({ invariant: 'negative_balance', subject: account.id, detail: `available ${account.availableMinor}, held ${account.heldMinor}` });
    }
    const held = heldByAccount.get(account.id) ?? 0n;
    if (held !== account.heldMinor) {
      violations.push({ invariant: 'held_balance', subject: account.id, detail: `held ${account.heldMinor}, pending holds, locked conditional payments and allocated settlement legs ${held}` });
    }
    balanceByAsset.set(account.asset, (balanceByAsset.get(account.asset) ?? 0n) + account.availableMinor + account.heldMinor);
  }
  for (const asset of state.assets.values()) {
    const supply = asset.issuedMinor - asset.redeemedMinor;
    const balances = balanceByAsset.get(asset.id) ?? 0n;
    if (supply !== balances) {
      violations.push({ invariant: 'supply', subject: asset.id, detail: `issued − redeemed ${supply}, balances ${balances}` });
    }
  }
  for (const allowance of state.allowances.values()) {
    const ceiling = state.reserve_mandates.get(allowance.asset)?.throttle?.ceilingMinor;
    if ((ceiling !== undefined && allowance.remainingMinor > ceiling) || (ceiling === undefined && allowance.withheldMinor !== undefined) || (allowance.withheldMinor ?? 0n) < 0n) {
      violations.push({ invariant: 'minting_throttle', subject: `${allowance.asset}/${allowance.minter}`, detail: `remaining ${allowance.remainingMinor}, withheld ${allowance.withheldMinor ?? 0n}, ceiling ${ceiling ?? 'none'}` });
    }
  }
  return violations;
}
