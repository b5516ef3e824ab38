import { parseAmount } from '../../amount.js';
import { travelRuleKey, type Account, type Asset } from '../../entities/index.js';
import type { Check, OperationContext } from '../../operation.js';

/**
 * When a payment must carry Travel Rule data: a currency token (not a security) moving
 * between participants of different jurisdictions, at or above the threshold compliance
 * set for the payer's jurisdiction in the token's currency. A jurisdiction without one
 * has not switched the rule on.
 */
export function travelRuleThreshold(ctx: OperationContext, payer: Account, payee: Account, asset: Asset): bigint | undefined {
  if (asset.kind === 'security') return undefined;
  const from = ctx.draft.get('participants', payer.owner);
  const to = ctx.draft.get('participants', payee.owner);
  if (from === undefined || to === undefined || from.jurisdiction === to.jurisdiction) return undefined;
  const set = ctx.draft.get('travelRuleThresholds', travelRuleKey(from.jurisdiction, asset.code));
  return set === undefined ? undefined : minorAtScale(set.amount, asset.decimals);
}

/** A threshold in the asset's minor units; a threshold finer than the asset's scale is cut to it, so nothing at or above it escapes. */
function minorAtScale(amount: string, decimals: number): bigint {
  const [whole = '0', fraction = ''] = amount.split('.');
  const parsed = parseAmount(fraction.slice(0, decimals) === '' ? whole : `${whole}.${fraction.slice(0, decimals)}`, decimals);
  return parsed.ok ? parsed.minor : 0n;
}

interface TravelRuleEnv {
  readonly payer: Account | undefined;
  readonly payee: Account | undefined;
  readonly asset: Asset | undefined;
  readonly minor: bigint;
}

/** A cross-border payment at or above the threshold names its Travel Rule data (by hash); the data itself travels off the chain. */
export function travelRuleCarried<Op extends { travelRule?: string }, Env extends TravelRuleEnv>(): Check<Op, Env> {
  return {
    code: 'travel_rule_required', field: 'travelRule',
    fails: (env, op, ctx) => {
      if (op.travelRule !== undefined) return false;
      const threshold = travelRuleThreshold(ctx, env.payer!, env.payee!, env.asset!);
      return threshold !== undefined && env.minor >= threshold;
    },
    explain: (env, _op, ctx) => {
      const from = ctx.draft.get('participants', env.payer!.owner)!;
      const to = ctx.draft.get('participants', env.payee!.owner)!;
      return `a payment from ${from.jurisdiction} to ${to.jurisdiction} at or above the Travel Rule threshold must carry originator and beneficiary data (IVMS101, by its SHA-256 in travelRule)`;
    },
  };
}
