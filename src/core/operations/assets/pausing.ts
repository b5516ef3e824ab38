import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { hasRole, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

/** pause_asset and unpause_asset: the same rules, opposite effects. */
export function assetPauseOperation<T extends 'pause_asset' | 'unpause_asset'>(type: T, paused: boolean) {
  const changed = defineEvent(paused ? 'asset_paused' : 'asset_unpaused', paused ? 'every movement of the asset stopped' : 'movements of the asset resumed', Type.Object({ asset: Id }));
  return operation({
    family: 'assets',
    summary: paused ? 'stop every movement of an asset' : 'resume movements of a paused asset',
    schema: Type.Object({ type: Type.Literal(type), asset: Id }, { additionalProperties: false }),
    initiators: ['operator', 'issuer'],
    consent: "the operator or the asset's issuer",
    events: [changed],
    describe: (op) => `${paused ? 'pause' : 'unpause'} asset ${op.asset}`,
  }).resolve((ctx, op) => ({ asset: ctx.draft.get('assets', op.asset) })).define({
    checks: [
      mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
      {
        code: 'not_authorized', field: 'asset',
        fails: (env, _op, ctx) => !hasRole(ctx.sender, 'operator') && ctx.sender.id !== env.asset!.issuer,
        explain: (env) => `only the operator or ${env.asset!.issuer}, the issuer, may ${paused ? 'pause' : 'unpause'} ${env.asset!.id}`,
      },
    ],
    apply: (ctx, _op, env) => {
      const asset = env.asset!;
      ctx.draft.put('assets', asset.id, { ...asset, paused });
      return [withBalances(ctx.draft, changed.of({ asset: asset.id }, { participants: [asset.issuer] }))];
    },
    parties: (op, lookup) => [lookup.issuerOf(op.asset)],
    accounts: () => [],
  });
}
