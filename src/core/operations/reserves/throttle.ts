import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id, Reference } from '../../schema.js';
import { amountChecks, amountIn, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { allowancesOf, applyCeiling, managerSigned } from './throttling.js';

export const mintingThrottled = defineEvent('minting_throttled', "an asset's reserve manager capped what each of its minters may still mint (zero stops minting)", Type.Object({
  asset: Id, ceiling: Amount, withheld: Amount, reason: Reference, manager: Id,
}));

/**
 * The reserve manager caps every minter's remaining allowance at `ceiling`: what is above
 * it is withheld, not lost, and comes back when the throttle is lifted. Sent again with
 * another ceiling, it tightens or eases the throttle. An allowance the issuer sets while
 * the throttle holds is capped too.
 */
export const throttleMinting = operation({
  family: 'reserves',
  summary: "cap what each minter of an asset may still mint, while its reserves do not cover the supply well enough",
  schema: Type.Object({ type: Type.Literal('throttle_minting'), asset: Id, ceiling: Amount, reason: Reference }, { additionalProperties: false }),
  initiators: ['reserve_manager'],
  consent: "the asset's reserve manager, appointed by its issuer",
  events: [mintingThrottled],
  describe: (op) => `throttle minting of ${op.asset} to ${op.ceiling} per minter (${op.reason})`,
}).resolve((ctx, op) => {
  const asset = ctx.draft.get('assets', op.asset);
  return { asset, mandate: ctx.draft.get('reserve_mandates', op.asset), ceiling: amountIn(op, 'ceiling', asset) };
}).define({
  checks: [
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    amountChecks('ceiling', (env) => env.ceiling, (env) => env.asset, 'allowed'),
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => !managerSigned(ctx, env.mandate), explain: (env) => env.mandate === undefined ? `${env.asset!.id} has no reserve manager (its issuer appoints one)` : `only ${env.mandate.manager}, the reserve manager of ${env.asset!.id}, throttles its minting` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const mandate = env.mandate!;
    const ceilingMinor = env.ceiling!.ok ? env.ceiling!.minor : 0n;
    const withheld = applyCeiling(ctx.draft, asset.id, ceilingMinor);
    ctx.draft.put('reserve_mandates', asset.id, { ...mandate, throttle: { ceilingMinor, reason: op.reason, sinceMs: mandate.throttle?.sinceMs ?? ctx.blockTimeMs } });
    const minters = allowancesOf(ctx.draft, asset.id).map((allowance) => allowance.minter);
    return [withBalances(ctx.draft, mintingThrottled.of({
      asset: asset.id, ceiling: formatAmount(ceilingMinor, asset.decimals), withheld: formatAmount(withheld, asset.decimals), reason: op.reason, manager: mandate.manager,
    }, { participants: [asset.issuer, mandate.manager, ...minters] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset)],
  accounts: () => [],
});
