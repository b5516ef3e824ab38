import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { allowanceKey } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { amountChecks, amountIn, hasRole, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { underCeiling } from '../reserves/throttling.js';

export const minterConfigured = defineEvent('minter_configured', "a minter's remaining allowance of an asset was set (capped, while the asset's minting is throttled, with the rest withheld)", Type.Object({ asset: Id, minter: Id, allowance: Amount, withheld: Type.Optional(Amount) }));

export const configureMinter = operation({
  family: 'issuance',
  summary: "set how much a minter may still issue of an asset (zero withdraws the right)",
  schema: Type.Object({ type: Type.Literal('configure_minter'), asset: Id, minter: Id, allowance: Amount }, { additionalProperties: false }),
  initiators: ['issuer'],
  consent: "the asset's issuer (the minter must hold the issuer role)",
  events: [minterConfigured],
  describe: (op) => `let ${op.minter} mint up to ${op.allowance} of ${op.asset}`,
}).resolve((ctx, op) => {
    const asset = ctx.draft.get('assets', op.asset);
    return { asset, minter: ctx.draft.get('participants', op.minter), allowance: amountIn(op, 'allowance', asset) };
  }).define({
  checks: [
    mustExist('participant_not_found', 'minter', 'participant', (env) => env.minter),
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    amountChecks('allowance', (env) => env.allowance, (env) => env.asset, 'allowed'),
    { code: 'invalid_role', field: 'minter', fails: (env) => !hasRole(env.minter, 'issuer'), explain: (_env, op) => `participant "${op.minter}" does not have the issuer role, which minting needs` },
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => !ctx.signers.has(env.asset!.issuer), explain: (env) => `only ${env.asset!.issuer}, the issuer of ${env.asset!.id}, names its minters` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const allowance = env.allowance!;
    // A throttle in force caps what the issuer grants: the issuer cannot mint around its reserve manager.
    const ceilingMinor = ctx.draft.get('reserve_mandates', asset.id)?.throttle?.ceilingMinor;
    const set = underCeiling(asset.id, op.minter, allowance.ok ? allowance.minor : 0n, ceilingMinor);
    ctx.draft.put('allowances', allowanceKey(asset.id, op.minter), set);
    const figures = { asset: asset.id, minter: op.minter, allowance: formatAmount(set.remainingMinor, asset.decimals) };
    const data = set.withheldMinor === undefined ? figures : { ...figures, withheld: formatAmount(set.withheldMinor, asset.decimals) };
    return [withBalances(ctx.draft, minterConfigured.of(data, { participants: [asset.issuer, op.minter] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset), op.minter],
  accounts: () => [],
});
