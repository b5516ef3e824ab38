import { allowanceKey, type Allowance, type ReserveMandate } from '../../entities/index.js';
import type { OperationContext } from '../../operation.js';
import type { Draft } from '../../state.js';
import { hasRole } from '../checks.js';

/** The asset's minters' allowances as the draft has them (those it adds included), in minter order. */
export function allowancesOf(draft: Draft, asset: string): Allowance[] {
  const ids = new Set(draft.state.indexed('allowances', asset));
  for (const id of draft.writtenIds('allowances')) if (id.startsWith(`${asset}/`)) ids.add(id);
  return [...ids].sort().map((id) => draft.get('allowances', id)).filter((allowance): allowance is Allowance => allowance !== undefined);
}

/**
 * An allowance of `totalMinor` under a ceiling: what the minter may mint now, and the rest
 * withheld until the throttle is lifted (no ceiling: all of it, nothing withheld).
 */
export function underCeiling(asset: string, minter: string, totalMinor: bigint, ceilingMinor: bigint | undefined): Allowance {
  const remainingMinor = ceilingMinor === undefined || totalMinor <= ceilingMinor ? totalMinor : ceilingMinor;
  const withheldMinor = totalMinor - remainingMinor;
  return withheldMinor === 0n ? { asset, minter, remainingMinor } : { asset, minter, remainingMinor, withheldMinor };
}

/** Puts every minter of the asset under `ceilingMinor` (undefined lifts it); returns what is withheld in all. */
export function applyCeiling(draft: Draft, asset: string, ceilingMinor: bigint | undefined): bigint {
  let withheld = 0n;
  for (const allowance of allowancesOf(draft, asset)) {
    const next = underCeiling(asset, allowance.minter, allowance.remainingMinor + (allowance.withheldMinor ?? 0n), ceilingMinor);
    withheld += next.withheldMinor ?? 0n;
    draft.put('allowances', allowanceKey(asset, allowance.minter), next);
  }
  return withheld;
}

/** Whether the asset's appointed reserve manager signed, still holding the role. */
export function managerSigned(ctx: OperationContext, mandate: ReserveMandate | undefined): boolean {
  return mandate !== undefined && ctx.signers.has(mandate.manager) && hasRole(ctx.draft.get('participants', mandate.manager), 'reserve_manager');
}
