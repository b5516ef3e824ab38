import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import type { Account } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id, Reference } from '../../schema.js';
import { actsFor, amountChecks, amountIn, movementChecks, mustExist } from '../checks.js';
import { supplyWatchers, withBalances } from '../effects.js';

export const redeemed = defineEvent('redeemed', "tokens were burnt, to be paid out of the issuer's books", Type.Object({
  account: Id, asset: Id, amount: Amount, payoutReference: Reference,
}));

/**
 * Burns tokens back into the issuer's books. Two consents are needed: the holder's (its
 * balance shrinks) and the issuer's (it alone burns its asset, and pays out the deposit).
 */
export const redeem = operation({
  family: 'issuance',
  summary: "burn tokens back into the issuer's books, to be paid out",
  schema: Type.Object({ type: Type.Literal('redeem'), account: Id, amount: Amount, payoutReference: Reference }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the holder (or its delegate) and the asset's issuer",
  events: [redeemed],
  describe: (op) => `redeem ${op.amount} from ${op.account}, paid out to ${op.payoutReference}`,
}).resolve((ctx, op) => {
    const account: Account | undefined = ctx.draft.get('accounts', op.account);
    const asset = account === undefined ? undefined : ctx.draft.get('assets', account.asset);
    const amount = amountIn(op, 'amount', asset);
    return { account, asset, amount, minor: amount?.ok === true ? amount.minor : 0n };
  }).define({
  checks: [
    mustExist('account_not_found', 'account', 'account', (env) => env.account),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    { code: 'not_authorized', fails: (env, _op, ctx) => !actsFor(ctx, env.account!.owner), explain: (env) => `only ${env.account!.owner} (or its delegate) may redeem from ${env.account!.id}` },
    { code: 'not_authorized', fails: (env, _op, ctx) => !ctx.signers.has(env.asset!.issuer), explain: (env) => `a redemption also needs the signature of ${env.asset!.issuer}, the issuer of ${env.asset!.id} (co-sign it)` },
    movementChecks((env) => [env.account!], (env) => env.asset!),
    { code: 'insufficient_funds', field: 'amount', fails: (env) => env.account!.availableMinor < env.minor, explain: (env) => `${env.account!.id} has ${formatAmount(env.account!.availableMinor, env.asset!.decimals)} available` },
  ],
  apply: (ctx, op, env) => {
    const account = env.account!;
    const asset = env.asset!;
    ctx.draft.put('assets', asset.id, { ...asset, redeemedMinor: asset.redeemedMinor + env.minor });
    ctx.draft.put('accounts', account.id, { ...account, availableMinor: account.availableMinor - env.minor });
    const event = redeemed.of({ account: account.id, asset: asset.id, amount: formatAmount(env.minor, asset.decimals), payoutReference: op.payoutReference }, { accounts: [account.id], participants: supplyWatchers(ctx.draft, asset) });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => {
    const asset = lookup.assetOf(op.account);
    return [lookup.ownerOf(op.account), asset === undefined ? undefined : lookup.issuerOf(asset)];
  },
  accounts: (op) => [op.account],
  debits: (_op, env) => [{ account: env.account!, minor: env.minor, to: undefined }],
});
