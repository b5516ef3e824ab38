import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { operation } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { amountChecks, amountIn, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';
import { parSettlementJoined } from './events.js';

/**
 * An issuer joins par settlement for one of its money tokens, or changes its settlement
 * account or cap. Its settlement account is then debited, without a signature per payment,
 * whenever another bank's client pays one of its clients at par: this is its consent.
 */
export const joinParSettlement = operation({
  family: 'par settlement',
  summary: 'settle a token at par with the other issuers of its currency, through a settlement account of the issuer',
  schema: Type.Object({
    type: Type.Literal('join_par_settlement'), asset: Id, settlementAccount: Id,
    /** The most the issuer accepts to be owed, net, by any one other bank over a day; no cap when absent. */
    cap: Type.Optional(Amount),
  }, { additionalProperties: false }),
  initiators: ['issuer'],
  consent: "the asset's issuer, whose own account the settlement account must be",
  events: [parSettlementJoined],
  describe: (op) => `settle ${op.asset} at par through ${op.settlementAccount}${op.cap === undefined ? '' : `, owed at most ${op.cap} net by any one bank a day`}`,
}).resolve((ctx, op) => {
    const asset = ctx.draft.get('assets', op.asset);
    return { asset, account: ctx.draft.get('accounts', op.settlementAccount), cap: amountIn(op, 'cap', asset) };
  }).define({
  checks: [
    mustExist('asset_not_found', 'asset', 'asset', (env) => env.asset),
    mustExist('account_not_found', 'settlementAccount', 'account', (env) => env.account),
    amountChecks('cap', (env) => env.cap, (env) => env.asset, 'allowed'),
    { code: 'asset_mismatch', field: 'asset', fails: (env) => env.asset!.kind === 'security', explain: (env) => `${env.asset!.id} is a security: only money (deposit tokens, stablecoins) settles at par` },
    { code: 'asset_mismatch', field: 'settlementAccount', fails: (env) => env.account!.asset !== env.asset!.id, explain: (env) => `${env.account!.id} holds ${env.account!.asset}, not ${env.asset!.id}` },
    { code: 'not_authorized', field: 'asset', fails: (env, _op, ctx) => !ctx.signers.has(env.asset!.issuer), explain: (env) => `only ${env.asset!.issuer}, the issuer of ${env.asset!.id}, joins it to par settlement` },
    { code: 'not_authorized', field: 'settlementAccount', fails: (env) => env.account!.owner !== env.asset!.issuer, explain: (env) => `${env.account!.id} belongs to ${env.account!.owner}: the settlement account must be ${env.asset!.issuer}'s own` },
  ],
  apply: (ctx, op, env) => {
    const asset = env.asset!;
    const capMinor = env.cap?.ok === true ? env.cap.minor : undefined;
    ctx.draft.put('par_members', asset.id, { asset: asset.id, issuer: asset.issuer, settlementAccount: op.settlementAccount, ...(capMinor !== undefined && { capMinor }), joinedAtMs: ctx.blockTimeMs });
    const cap = capMinor === undefined ? null : formatAmount(capMinor, asset.decimals);
    return [withBalances(ctx.draft, parSettlementJoined.of({ asset: asset.id, issuer: asset.issuer, settlementAccount: op.settlementAccount, cap }, { accounts: [op.settlementAccount], participants: [asset.issuer] }))];
  },
  parties: (op, lookup) => [lookup.issuerOf(op.asset)],
  accounts: (op) => [op.settlementAccount],
});
