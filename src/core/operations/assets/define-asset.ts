import { Type } from 'typebox';
import { ASSET_KINDS } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Decimals, Id, literals } from '../../schema.js';
import { hasRole, mustBeNew, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

export const assetDefined = defineEvent('asset_defined', 'an asset was listed, naming the issuer that alone mints and burns it', Type.Object({
  asset: Id, kind: literals(ASSET_KINDS), code: Type.String(), decimals: Decimals, issuer: Id,
}));

export const defineAsset = operation({
  family: 'assets',
  summary: 'list a deposit token, stablecoin or security, naming its issuer',
  // Money is named by its ISO 4217 currency, a security by its ISIN (check digit included).
  schema: Type.Object({
    type: Type.Literal('define_asset'), asset: Id, kind: literals(ASSET_KINDS), code: Type.String({ description: 'ISO 4217 currency code for money, ISIN for a security' }), decimals: Decimals, issuer: Id,
  }, {
    additionalProperties: false,
    if: { properties: { kind: { const: 'security' } } },
    then: { properties: { code: { type: 'string', format: 'isin' } } },
    else: { properties: { code: { type: 'string', format: 'iso4217' } } },
  }),
  initiators: ['operator'],
  consent: 'the operator',
  events: [assetDefined],
  describe: (op) => `define ${op.kind.replace('_', ' ')} ${op.asset} (${op.code}, ${op.decimals} decimals) issued by ${op.issuer}`,
}).resolve((ctx, op) => ({ issuer: ctx.draft.get('participants', op.issuer), existing: ctx.draft.get('assets', op.asset) })).define({
  checks: [
    mustExist('participant_not_found', 'issuer', 'participant', (env) => env.issuer),
    mustBeNew('asset', 'asset', (env) => env.existing),
    { code: 'invalid_role', field: 'issuer', fails: (env) => !hasRole(env.issuer, 'issuer'), explain: (_env, op) => `participant "${op.issuer}" does not have the issuer role` },
  ],
  apply: (ctx, op) => {
    ctx.draft.put('assets', op.asset, { id: op.asset, kind: op.kind, code: op.code, decimals: op.decimals, issuer: op.issuer, paused: false, issuedMinor: 0n, redeemedMinor: 0n });
    return [withBalances(ctx.draft, assetDefined.of({ asset: op.asset, kind: op.kind, code: op.code, decimals: op.decimals, issuer: op.issuer }, { participants: [op.issuer] }))];
  },
  parties: (op) => [op.issuer],
  accounts: () => [],
});
