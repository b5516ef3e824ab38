import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id, Reference } from '../../schema.js';
import { mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { allowancesOf, applyCeiling, managerSigned } from './throttling.js';

export const mintingThrottleLifted = defineEvent('minting_throttle_lifted', "an asset's reserve manager lifted its throttle: what was withheld from each minter is given back", Type.Object({
  asset: Id, restored: Amount, reason: Reference, manager: Id,
}));

export const liftMintingThrottle = operation({
  family: 'reserves',
  summary: "lift the throttle on an asset's minting once its reserves cover the supply again",
  schema: Type.Object({ type: Type.Literal('lift_minting_throttle'), asset: Id, reason: Reference }, { additionalProperties: false }),
  initiators: ['reserve_manager'],
  consent: "the asset's reserve manager, appointed by its issuer",
  events: [mintingThrottleLifted],
  describe: (op) => `lift the throttle on minting ${op.asset} (${op.reason})`,
}).resolve((ctx, op) => ({ asset: ctx.draft.get('assets', op.asset), mandate: ctx.draft.get('reserve_mandates', op.asset) })).define({
  checks: [
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => !managerSigned(ctx, env.mandate), explain: (env) => env.mandate === undefined ? `${env.asset!.id} has no reserve manager (its issuer appoints one)` : `only ${env.mandate.manager}, the reserve manager of ${env.asset!.id}, lifts its throttle` },
    { code: 'minting_not_throttled', field: 'asset', fails: (env) => env.mandate!.throttle === undefined, explain: (env) => `minting of ${env.asset!.id} is not throttled` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const { throttle: _lifted, ...mandate } = env.mandate!;
    const withheldBefore = allowancesOf(ctx.draft, asset.id).reduce((sum, allowance) => sum + (allowance.withheldMinor ?? 0n), 0n);
    applyCeiling(ctx.draft, asset.id, undefined);
    ctx.draft.put('reserve_mandates', asset.id, mandate);
    const minters = allowancesOf(ctx.draft, asset.id).map((allowance) => allowance.minter);
    return [withBalances(ctx.draft, mintingThrottleLifted.of({
      asset: asset.id, restored: formatAmount(withheldBefore, asset.decimals), reason: op.reason, manager: mandate.manager,
    }, { participants: [asset.issuer, mandate.manager, ...minters] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset)],
  accounts: () => [],
});
