import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { hasRole, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

export const reserveManagerAppointed = defineEvent('reserve_manager_appointed', "an issuer appointed the participant that watches an asset's reserves (and may throttle its minting)", Type.Object({ asset: Id, manager: Id }));

/**
 * The issuer names who watches its asset's reserves. A throttle in force stays (the new
 * manager inherits it): changing the manager is no way around it.
 */
export const appointReserveManager = operation({
  family: 'reserves',
  summary: "appoint the participant that watches an asset's reserves, throttles its minting and attests its reserves",
  schema: Type.Object({ type: Type.Literal('appoint_reserve_manager'), asset: Id, manager: Id }, { additionalProperties: false }),
  initiators: ['issuer'],
  consent: "the asset's issuer (the manager must hold the reserve_manager role)",
  events: [reserveManagerAppointed],
  describe: (op) => `appoint ${op.manager} to watch the reserves of ${op.asset}`,
}).resolve((ctx, op) => ({ asset: ctx.draft.get('assets', op.asset), manager: ctx.draft.get('participants', op.manager), mandate: ctx.draft.get('reserve_mandates', op.asset) })).define({
  checks: [
    mustExist('participant_not_found', 'manager', 'participant', (env) => env.manager),
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    { code: 'invalid_role', field: 'manager', fails: (env) => !hasRole(env.manager, 'reserve_manager'), explain: (_env, op) => `participant "${op.manager}" does not have the reserve_manager role` },
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => !ctx.signers.has(env.asset!.issuer), explain: (env) => `only ${env.asset!.issuer}, the issuer of ${env.asset!.id}, appoints its reserve manager` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const throttle = env.mandate?.throttle;
    ctx.draft.put('reserve_mandates', asset.id, throttle === undefined ? { asset: asset.id, manager: op.manager, appointedAtMs: ctx.blockTimeMs } : { asset: asset.id, manager: op.manager, appointedAtMs: ctx.blockTimeMs, throttle });
    return [withBalances(ctx.draft, reserveManagerAppointed.of({ asset: asset.id, manager: op.manager }, { participants: [asset.issuer, op.manager] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset), op.manager],
  accounts: () => [],
});
