import { addChecked } from '../amount.js';
import type { OperationContext, OperationOutcome } from '../context.js';
import { actsFor, positiveAmount, touch } from '../context.js';
import type { Draft } from '../state.js';
import type { Account, Hold, Operation } from '../types.js';
import { movementRejection, paymentLegs } from './money.js';

type PlaceHold = Extract<Operation, { type: 'hold' }>;
type Post = Extract<Operation, { type: 'post' }>;
type Void = Extract<Operation, { type: 'void' }>;

/** The longest a hold may reserve funds: 90 days. */
export const HOLD_DURATION_MAX_MS = 90 * 24 * 60 * 60 * 1000;

function account(draft: Draft, id: string): Account {
  const found = draft.get('accounts', id);
  if (found === undefined) throw new Error(`invariant: hold refers to missing account ${id}`);
  return found;
}

/** Moves `amount` from the payer's available balance into its held balance, toward the payee. */
export function placeHold(ctx: OperationContext, op: PlaceHold): OperationOutcome {
  if (ctx.draft.get('holds', op.hold) !== undefined) return 'already_exists';
  const legs = paymentLegs(ctx, op.from, op.to, op.amount);
  if (typeof legs === 'string') return legs;
  const { payer, payee: to, asset, minor } = legs;
  if (op.expiresAtMs <= ctx.blockTimeMs || op.expiresAtMs > ctx.blockTimeMs + HOLD_DURATION_MAX_MS) return 'invalid_expiry';
  if (to.asset !== asset.id) return 'asset_mismatch';
  if (!actsFor(ctx, payer.owner)) return 'not_authorized';
  const blocked = movementRejection(ctx, asset, [payer, to]);
  if (blocked !== null) return blocked;
  if (payer.availableMinor < minor) return 'insufficient_funds';
  ctx.draft.put('accounts', payer.id, {
    ...payer,
    availableMinor: payer.availableMinor - minor,
    heldMinor: payer.heldMinor + minor,
  });
  ctx.draft.put('holds', op.hold, {
    id: op.hold,
    asset: asset.id,
    payer: payer.id,
    payee: to.id,
    amountMinor: minor,
    postedMinor: 0n,
    expiresAtMs: op.expiresAtMs,
    status: 'pending',
  });
  touch(ctx, payer);
  touch(ctx, to);
  return null;
}

function resolvedRejection(hold: Hold, blockTimeMs: number): OperationOutcome {
  if (hold.status === 'posted' || hold.status === 'voided') return 'hold_already_resolved';
  if (hold.status === 'expired' || hold.expiresAtMs <= blockTimeMs) return 'hold_expired';
  return null;
}

/** Releases the hold: `postedMinor` goes to the payee, the rest back to the payer's available balance. */
function release(draft: Draft, hold: Hold, postedMinor: bigint, status: Hold['status']): OperationOutcome {
  const payer = account(draft, hold.payer);
  const payee = account(draft, hold.payee);
  const credited = addChecked(payee.availableMinor, postedMinor);
  if (credited === null) return 'amount_overflow';
  draft.put('accounts', payer.id, {
    ...payer,
    heldMinor: payer.heldMinor - hold.amountMinor,
    availableMinor: payer.availableMinor + (hold.amountMinor - postedMinor),
  });
  if (postedMinor > 0n) draft.put('accounts', payee.id, { ...account(draft, payee.id), availableMinor: credited });
  draft.put('holds', hold.id, { ...hold, postedMinor, status });
  return null;
}

/** Releases the hold and, only if that succeeded, records both accounts as touched. */
function releaseAndTouch(ctx: OperationContext, hold: Hold, postedMinor: bigint, status: Hold['status'], accounts: readonly Account[]): OperationOutcome {
  const outcome = release(ctx.draft, hold, postedMinor, status);
  if (outcome === null) for (const touched of accounts) touch(ctx, touched);
  return outcome;
}

/** The payer posts all or part of the hold, once; whatever is not posted returns to it. */
export function postHold(ctx: OperationContext, op: Post): OperationOutcome {
  const hold = ctx.draft.get('holds', op.hold);
  if (hold === undefined) return 'hold_not_found';
  const asset = ctx.draft.get('assets', hold.asset);
  if (asset === undefined) throw new Error(`invariant: hold ${hold.id} refers to missing asset`);
  let postedMinor = hold.amountMinor;
  if (op.amount !== undefined) {
    const amount = positiveAmount(op.amount, asset);
    if ('code' in amount) return amount.code;
    postedMinor = amount.minor;
  }
  const payer = account(ctx.draft, hold.payer);
  const payee = account(ctx.draft, hold.payee);
  if (!actsFor(ctx, payer.owner)) return 'not_authorized';
  const blocked = movementRejection(ctx, asset, [payer, payee]);
  if (blocked !== null) return blocked;
  const resolved = resolvedRejection(hold, ctx.blockTimeMs);
  if (resolved !== null) return resolved;
  if (postedMinor > hold.amountMinor) return 'hold_amount_exceeded';
  return releaseAndTouch(ctx, hold, postedMinor, 'posted', [payer, payee]);
}

/** Either side may void a pending hold: the payer withdraws it, the payee declines it. */
export function voidHold(ctx: OperationContext, op: Void): OperationOutcome {
  const hold = ctx.draft.get('holds', op.hold);
  if (hold === undefined) return 'hold_not_found';
  const payer = account(ctx.draft, hold.payer);
  const payee = account(ctx.draft, hold.payee);
  if (!actsFor(ctx, payer.owner) && !actsFor(ctx, payee.owner)) return 'not_authorized';
  const resolved = resolvedRejection(hold, ctx.blockTimeMs);
  if (resolved !== null) return resolved;
  return releaseAndTouch(ctx, hold, 0n, 'voided', [payer, payee]);
}

/** Called at the start of a block for a hold whose expiry has come: its funds return to the payer. */
export function expireHold(draft: Draft, hold: Hold): void {
  const outcome = release(draft, hold, 0n, 'expired');
  if (outcome !== null) throw new Error(`invariant: expiring hold ${hold.id} failed with ${outcome}`);
}
