import { addChecked } from '../amount.js';
import type { OperationContext, OperationOutcome } from '../context.js';
import { accountWithAsset, actsFor, hasRole, kycRejection, positiveAmount, touch } from '../context.js';
import { allowanceKey } from '../state.js';
import type { RejectionCode } from '../codes.js';
import type { Account, Allowance, Asset, Operation } from '../types.js';

type Issue = Extract<Operation, { type: 'issue' }>;
type Redeem = Extract<Operation, { type: 'redeem' }>;
type Transfer = Extract<Operation, { type: 'transfer' }>;

/**
 * The first signer with an allowance on the asset that still holds the issuer role:
 * minters are named by the asset's issuer, and lose the right to mint with the role.
 */
function signingMinter(ctx: OperationContext, asset: Asset): Allowance | undefined {
  for (const signer of ctx.signers) {
    const allowance = ctx.draft.get('allowances', allowanceKey(asset.id, signer));
    if (allowance !== undefined && hasRole(ctx.draft.get('participants', signer), 'issuer')) return allowance;
  }
  return undefined;
}

/** Gate common to every movement of money: KYC of each owner, then freezes, then the asset's pause. */
export function movementRejection(ctx: OperationContext, asset: Asset, accounts: readonly Account[]): OperationOutcome {
  for (const account of accounts) {
    const kyc = kycRejection(ctx.draft.get('participants', account.owner), ctx.blockTimeMs);
    if (kyc !== null) return kyc;
  }
  if (accounts.some((account) => account.frozen)) return 'account_frozen';
  if (asset.paused) return 'asset_paused';
  return null;
}

/** Mints against a bank deposit: credits the account and spends the minter's allowance. */
export function issue(ctx: OperationContext, op: Issue): OperationOutcome {
  const found = accountWithAsset(ctx, op.account);
  if (found === undefined) return 'account_not_found';
  const { account, asset } = found;
  const amount = positiveAmount(op.amount, asset);
  if ('code' in amount) return amount.code;
  const allowance = signingMinter(ctx, asset);
  if (allowance === undefined) return 'not_authorized';
  const blocked = movementRejection(ctx, asset, [account]);
  if (blocked !== null) return blocked;
  if (allowance.remainingMinor < amount.minor) return 'allowance_exceeded';
  const issued = addChecked(asset.issuedMinor, amount.minor);
  const available = addChecked(account.availableMinor, amount.minor);
  if (issued === null || available === null) return 'amount_overflow';
  ctx.draft.put('allowances', allowanceKey(asset.id, allowance.minter), {
    ...allowance,
    remainingMinor: allowance.remainingMinor - amount.minor,
  });
  ctx.draft.put('assets', asset.id, { ...asset, issuedMinor: issued });
  ctx.draft.put('accounts', account.id, { ...account, availableMinor: available });
  touch(ctx, account);
  ctx.parties.add(asset.issuer);
  return null;
}

/**
 * Burns tokens back into the issuer's books. Two consents are needed: the holder's
 * (its balance shrinks) and the issuer's (it alone burns its asset, and pays out the deposit).
 */
export function redeem(ctx: OperationContext, op: Redeem): OperationOutcome {
  const found = accountWithAsset(ctx, op.account);
  if (found === undefined) return 'account_not_found';
  const { account, asset } = found;
  const amount = positiveAmount(op.amount, asset);
  if ('code' in amount) return amount.code;
  if (!ctx.signers.has(asset.issuer) || !actsFor(ctx, account.owner)) return 'not_authorized';
  const blocked = movementRejection(ctx, asset, [account]);
  if (blocked !== null) return blocked;
  if (account.availableMinor < amount.minor) return 'insufficient_funds';
  ctx.draft.put('assets', asset.id, { ...asset, redeemedMinor: asset.redeemedMinor + amount.minor });
  ctx.draft.put('accounts', account.id, { ...account, availableMinor: account.availableMinor - amount.minor });
  touch(ctx, account);
  ctx.parties.add(asset.issuer);
  return null;
}

export interface PaymentLegs {
  payer: Account;
  payee: Account;
  asset: Asset;
  minor: bigint;
}

/** The checks every payer-to-payee movement starts with, in precedence order, up to authorization. */
export function paymentLegs(ctx: OperationContext, fromId: string, toId: string, amountText: string): PaymentLegs | RejectionCode {
  const from = accountWithAsset(ctx, fromId);
  if (from === undefined) return 'account_not_found';
  const payee = ctx.draft.get('accounts', toId);
  if (payee === undefined) return 'account_not_found';
  const { account: payer, asset } = from;
  const amount = positiveAmount(amountText, asset);
  if ('code' in amount) return amount.code;
  return { payer, payee, asset, minor: amount.minor };
}

export function transfer(ctx: OperationContext, op: Transfer): OperationOutcome {
  const legs = paymentLegs(ctx, op.from, op.to, op.amount);
  if (typeof legs === 'string') return legs;
  const { payer, payee: to, asset, minor } = legs;
  if (to.asset !== asset.id) return 'asset_mismatch';
  if (!actsFor(ctx, payer.owner)) return 'not_authorized';
  const blocked = movementRejection(ctx, asset, [payer, to]);
  if (blocked !== null) return blocked;
  if (payer.availableMinor < minor) return 'insufficient_funds';
  if (payer.id === to.id) {
    touch(ctx, payer);
    return null;
  }
  const credited = addChecked(to.availableMinor, minor);
  if (credited === null) return 'amount_overflow';
  ctx.draft.put('accounts', payer.id, { ...payer, availableMinor: payer.availableMinor - minor });
  ctx.draft.put('accounts', to.id, { ...to, availableMinor: credited });
  touch(ctx, payer);
  touch(ctx, to);
  return null;
}
