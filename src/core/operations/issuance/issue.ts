import { Type } from 'typebox';
import { addChecked, formatAmount } from '../../amount.js';
import { allowanceKey, type Account, type Allowance, type Asset } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Id, Reference } from '../../schema.js';
import { amountChecks, amountIn, hasRole, movementChecks, mustExist } from '../checks.js';
import { supplyWatchers, withBalances } from '../effects.js';

export const issued = defineEvent('issued', 'tokens were minted into an account against a deposit at the issuer', Type.Object({
  account: Id, asset: Id, amount: Amount, depositReference: Reference, minter: Id,
}));

/**
 * The first signer with an allowance on the asset that still holds the issuer role:
 * minters are named by the asset's issuer, and lose the right to mint with the role.
 */
function signingMinter(ctx: OperationContext, asset: Asset | undefined): Allowance | undefined {
  if (asset === undefined) return undefined;
  for (const signer of [...ctx.signers].sort()) {
    const allowance = ctx.draft.get('allowances', allowanceKey(asset.id, signer));
    if (allowance !== undefined && hasRole(ctx.draft.get('participants', signer), 'issuer')) return allowance;
  }
  return undefined;
}

export const issue = operation({
  family: 'issuance',
  summary: 'mint tokens into an account against a deposit in the bank\'s books',
  schema: Type.Object({ type: Type.Literal('issue'), account: Id, amount: Amount, depositReference: Reference }, { additionalProperties: false }),
  initiators: ['issuer'],
  consent: 'a minter of the asset with enough allowance (issuing spends it)',
  events: [issued],
  describe: (op) => `mint ${op.amount} to ${op.account} against deposit ${op.depositReference}`,
}).resolve((ctx, op) => {
    const account: Account | undefined = ctx.draft.get('accounts', op.account);
    const asset = account === undefined ? undefined : ctx.draft.get('assets', account.asset);
    const amount = amountIn(op, 'amount', asset);
    return { account, asset, amount, minor: amount?.ok === true ? amount.minor : 0n, allowance: signingMinter(ctx, asset) };
  }).define({
  checks: [
    mustExist('account_not_found', 'account', 'account', (env) => env.account),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    { code: 'not_authorized', fails: (env) => env.allowance === undefined, explain: (env) => `no signer is a minter of ${env.asset!.id} (the issuer names minters with configure_minter)` },
    movementChecks((env) => [env.account!], (env) => env.asset!),
    { code: 'allowance_exceeded', field: 'amount', fails: (env) => env.allowance!.remainingMinor < env.minor, explain: (env) => `${env.allowance!.minter} may still mint ${formatAmount(env.allowance!.remainingMinor, env.asset!.decimals)} of ${env.asset!.id}` },
    {
      code: 'amount_overflow', field: 'amount',
      fails: (env) => addChecked(env.asset!.issuedMinor, env.minor) === null || addChecked(env.account!.availableMinor, env.minor) === null,
      explain: (env) => `minting it would take the supply of ${env.asset!.id} or the balance past the ledger's ceiling`,
    },
  ],
  apply: (ctx, op, env) => {
    const account = env.account!;
    const asset = env.asset!;
    const allowance = env.allowance!;
    ctx.draft.put('allowances', allowanceKey(asset.id, allowance.minter), { ...allowance, remainingMinor: allowance.remainingMinor - env.minor });
    ctx.draft.put('assets', asset.id, { ...asset, issuedMinor: asset.issuedMinor + env.minor });
    ctx.draft.put('accounts', account.id, { ...account, availableMinor: account.availableMinor + env.minor });
    const event = issued.of({ account: account.id, asset: asset.id, amount: formatAmount(env.minor, asset.decimals), depositReference: op.depositReference, minter: allowance.minter }, { accounts: [account.id], participants: supplyWatchers(ctx.draft, asset) });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => {
    const asset = lookup.assetOf(op.account);
    return [lookup.ownerOf(op.account), asset === undefined ? undefined : lookup.issuerOf(asset)];
  },
  accounts: (op) => [op.account],
  act: (_op, env) => ({ act: 'issue', asset: env.asset!.id, minor: env.minor }),
});
