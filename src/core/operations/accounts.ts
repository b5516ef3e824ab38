import type { OperationContext, OperationOutcome } from '../context.js';
import { actsFor, kycRejection, signedByRole, touch } from '../context.js';
import type { Operation } from '../types.js';

type Open = Extract<Operation, { type: 'open_account' }>;
type Freeze = Extract<Operation, { type: 'freeze_account' | 'unfreeze_account' }>;

/** The operator opens accounts for anyone; a KYC-approved participant opens its own. */
export function openAccount(ctx: OperationContext, op: Open): OperationOutcome {
  const owner = ctx.draft.get('participants', op.owner);
  if (owner === undefined) return 'participant_not_found';
  if (ctx.draft.get('assets', op.asset) === undefined) return 'asset_not_found';
  if (ctx.draft.get('accounts', op.account) !== undefined) return 'already_exists';
  if (!signedByRole(ctx, 'operator') && !actsFor(ctx, owner.id)) return 'not_authorized';
  const kyc = kycRejection(owner, ctx.blockTimeMs);
  if (kyc !== null) return kyc;
  const account = { id: op.account, owner: owner.id, asset: op.asset, availableMinor: 0n, heldMinor: 0n, frozen: false };
  ctx.draft.put('accounts', account.id, account);
  touch(ctx, account);
  return null;
}

/** Only compliance freezes and unfreezes; a frozen account neither sends nor receives. */
export function setAccountFrozen(ctx: OperationContext, op: Freeze): OperationOutcome {
  const account = ctx.draft.get('accounts', op.account);
  if (account === undefined) return 'account_not_found';
  if (!signedByRole(ctx, 'compliance')) return 'not_authorized';
  const next = { ...account, frozen: op.type === 'freeze_account' };
  ctx.draft.put('accounts', next.id, next);
  touch(ctx, next);
  return null;
}
