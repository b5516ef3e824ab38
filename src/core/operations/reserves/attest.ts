import { Type } from 'typebox';
import { formatAmount, type AmountParse } from '../../amount.js';
import { reserveAttestationKey, type Asset, type ReserveMandate } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Hex32, Id, Reference } from '../../schema.js';
import { amountChecks, amountIn, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { managerSigned } from './throttling.js';

const HOLDINGS_MAX = 10_000_000;

type Figures = { asset: Asset | undefined; mandate: ReserveMandate | undefined; reserves: AmountParse | undefined; supply: AmountParse | undefined };

export const reservesAttested = defineEvent('reserves_attested', "an asset's reserve manager attested its reserves against its supply: the report's hash and the Merkle root of the holdings", Type.Object({
  asset: Id, report: Reference, reportHash: Hex32, holdingsRoot: Hex32, holdings: Type.Integer(), reserves: Amount, supply: Amount,
  supplyAtAttestation: Amount, covered: Type.Boolean(), attestedBy: Id,
}));

/**
 * Records a day's reserve report by its hash, with the reserves it counts, the supply it
 * was made at and the root of its holdings. The ledger adds its own supply at recording and
 * whether the reserves cover both: an under-covered day is recorded as such, never refused,
 * since hiding it would be worse.
 */
export const attestReserves = operation({
  family: 'reserves',
  summary: "attest an asset's reserves against its supply: the report's hash and the Merkle root of its holdings",
  schema: Type.Object({
    type: Type.Literal('attest_reserves'), asset: Id, report: Reference, reportHash: Hex32, holdingsRoot: Hex32,
    holdings: Type.Integer({ minimum: 0, maximum: HOLDINGS_MAX }), reserves: Amount, supply: Amount,
  }, { additionalProperties: false }),
  initiators: ['reserve_manager'],
  consent: "the asset's reserve manager, appointed by its issuer",
  events: [reservesAttested],
  describe: (op) => `attest reserves of ${op.asset} for ${op.report}: ${op.reserves} against a supply of ${op.supply}`,
}).resolve((ctx, op): Figures => {
  const asset = ctx.draft.get('assets', op.asset);
  return { asset, mandate: ctx.draft.get('reserve_mandates', op.asset), reserves: amountIn(op, 'reserves', asset), supply: amountIn(op, 'supply', asset) };
}).define({
  checks: [
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    // Every malformed amount before any too precise one: the codes' precedence.
    ...[0, 1].flatMap((which) => [amountChecks('reserves', (env: Figures) => env.reserves, (env) => env.asset, 'allowed')[which]!, amountChecks('supply', (env: Figures) => env.supply, (env) => env.asset, 'allowed')[which]!]),
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => !managerSigned(ctx, env.mandate), explain: (env) => env.mandate === undefined ? `${env.asset!.id} has no reserve manager (its issuer appoints one)` : `only ${env.mandate.manager}, the reserve manager of ${env.asset!.id}, attests its reserves` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const by = env.mandate!.manager;
    const reservesMinor = env.reserves!.ok ? env.reserves!.minor : 0n;
    const supplyMinor = env.supply!.ok ? env.supply!.minor : 0n;
    const supplyAtAttestationMinor = asset.issuedMinor - asset.redeemedMinor;
    ctx.draft.put('reserve_attestations', reserveAttestationKey(asset.id, op.report), {
      asset: asset.id, report: op.report, reportHash: op.reportHash, holdingsRoot: op.holdingsRoot, holdings: op.holdings,
      reservesMinor, supplyMinor, supplyAtAttestationMinor, attestedBy: by, attestedAtMs: ctx.blockTimeMs,
    });
    const amount = (minor: bigint) => formatAmount(minor, asset.decimals);
    return [withBalances(ctx.draft, reservesAttested.of({
      asset: asset.id, report: op.report, reportHash: op.reportHash, holdingsRoot: op.holdingsRoot, holdings: op.holdings, reserves: amount(reservesMinor), supply: amount(supplyMinor),
      supplyAtAttestation: amount(supplyAtAttestationMinor), covered: reservesMinor >= supplyMinor && reservesMinor >= supplyAtAttestationMinor, attestedBy: by,
    }, { participants: [asset.issuer, by] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset)],
  accounts: () => [],
});
