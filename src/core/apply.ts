import type { RejectionCode } from './codes.js';
import type { OperationContext, OperationOutcome } from './context.js';
import { defineAsset, configureMinter, setAssetPaused } from './operations/assets.js';
import { openAccount, setAccountFrozen } from './operations/accounts.js';
import { expireHold, placeHold, postHold, voidHold } from './operations/holds.js';
import { issue, redeem, transfer } from './operations/money.js';
import { registerParticipant, updateParticipant } from './operations/participants.js';
import { Draft, type LedgerState } from './state.js';
import type { Operation, TransactionBody } from './types.js';

/** A transaction whose signatures were checked outside the core: `signers` are the verified participants. */
export interface TransactionInput {
  readonly body: TransactionBody;
  readonly signers: ReadonlySet<string>;
}

/** An operation of a non-atomic transaction that failed on its own. */
export interface OperationRejection {
  readonly code: RejectionCode;
  readonly operation: number;
}

export type TransactionResult =
  | { readonly status: 'committed'; readonly rejected?: readonly OperationRejection[] }
  | { readonly status: 'rejected'; readonly code: RejectionCode; readonly operation: number | null };

export interface AppliedTransaction {
  readonly result: TransactionResult;
  /** Accounts touched, in first-touch order (empty when rejected). */
  readonly accounts: readonly string[];
  /** Participants who may see this transaction. */
  readonly parties: readonly string[];
}

/**
 * The furthest ahead a transaction's valid-until may be. Admission enforces it, and it
 * bounds how long spent ids must be remembered (and how far back a store looks for them).
 */
export const TRANSACTION_VALIDITY_MAX_MS = 24 * 60 * 60 * 1000;

/** The key under which a transaction id is unique: ids are chosen per sender. */
export function transactionKey(sender: string, id: string): string {
  return `${sender}/${id}`;
}

function applyOperation(ctx: OperationContext, op: Operation): OperationOutcome {
  switch (op.type) {
    case 'register_participant': return registerParticipant(ctx, op);
    case 'update_participant': return updateParticipant(ctx, op);
    case 'define_asset': return defineAsset(ctx, op);
    case 'pause_asset':
    case 'unpause_asset': return setAssetPaused(ctx, op);
    case 'open_account': return openAccount(ctx, op);
    case 'freeze_account':
    case 'unfreeze_account': return setAccountFrozen(ctx, op);
    case 'configure_minter': return configureMinter(ctx, op);
    case 'issue': return issue(ctx, op);
    case 'redeem': return redeem(ctx, op);
    case 'transfer': return transfer(ctx, op);
    case 'hold': return placeHold(ctx, op);
    case 'post': return postHold(ctx, op);
    case 'void': return voidHold(ctx, op);
  }
}

function rejected(input: TransactionInput, code: RejectionCode, operation: number | null): AppliedTransaction {
  return { result: { status: 'rejected', code, operation }, accounts: [], parties: [...new Set([input.body.sender, ...input.signers])] };
}

/**
 * Applies one transaction at `blockTimeMs`: all its operations, or none. The id is
 * spent either way, so a resubmission never executes twice. With `dryRun` the state
 * is left exactly as it was: admission uses it to answer malformed requests at once.
 */
export function applyTransaction(
  state: LedgerState,
  input: TransactionInput,
  blockTimeMs: number,
  dryRun = false,
): AppliedTransaction {
  const { body } = input;
  const key = transactionKey(body.sender, body.id);
  if (body.validUntilMs < blockTimeMs) return rejected(input, 'transaction_expired', null);
  if (state.transactionKeys.has(key)) return rejected(input, 'duplicate_transaction', null);
  if (!dryRun) state.addTransactionKey(key, body.validUntilMs);
  if (!state.participants.has(body.sender)) return rejected(input, 'participant_not_found', null);
  if (!input.signers.has(body.sender)) return rejected(input, 'sender_not_signed', null);

  const ctx: OperationContext = {
    draft: new Draft(state),
    sender: body.sender,
    signers: input.signers,
    blockTimeMs,
    accounts: new Set(),
    parties: new Set([body.sender, ...input.signers]),
  };
  if (body.atomic === false) return applyEach(ctx, body.operations, dryRun);
  for (const [index, op] of body.operations.entries()) {
    const code = applyOperation(ctx, op);
    if (code !== null) return rejected(input, code, index);
  }
  if (!dryRun) ctx.draft.commit();
  return { result: { status: 'committed' }, accounts: [...ctx.accounts], parties: [...ctx.parties] };
}

/**
 * A non-atomic transaction: each operation gets its own draft, kept if it succeeds and
 * dropped if it fails, so one bad payment in a file does not stop the others. Handlers
 * record parties and accounts only once their checks have passed.
 */
function applyEach(ctx: OperationContext, operations: readonly Operation[], dryRun: boolean): AppliedTransaction {
  const failures: OperationRejection[] = [];
  for (const [index, op] of operations.entries()) {
    const draft = new Draft(ctx.draft.state);
    const code = applyOperation({ ...ctx, draft }, op);
    if (code !== null) failures.push({ code, operation: index });
    else if (!dryRun) draft.commit();
  }
  const result: TransactionResult = failures.length === 0 ? { status: 'committed' } : { status: 'committed', rejected: failures };
  return { result, accounts: [...ctx.accounts], parties: [...ctx.parties] };
}

export interface BlockStart {
  /** Holds whose expiry came by this block's time; their funds are back with the payers. */
  readonly expiredHolds: readonly string[];
}

/** What happens at a block's time before its transactions: holds expire, spent ids leave their window. */
export function beginBlock(state: LedgerState, blockTimeMs: number): BlockStart {
  const expiredHolds: string[] = [];
  const draft = new Draft(state);
  for (let due = state.holdDeadlines.peek(); due !== undefined && due.atMs <= blockTimeMs; due = state.holdDeadlines.peek()) {
    state.holdDeadlines.pop();
    const hold = draft.get('holds', due.key);
    if (hold?.status !== 'pending') continue;
    expireHold(draft, hold);
    expiredHolds.push(hold.id);
  }
  draft.commit();
  for (let due = state.transactionKeyDeadlines.peek(); due !== undefined && due.atMs < blockTimeMs; due = state.transactionKeyDeadlines.peek()) {
    state.transactionKeyDeadlines.pop();
    state.transactionKeys.delete(due.key);
  }
  return { expiredHolds };
}

/** The time of the earliest pending hold expiry, so the sequencer can cut a block for it. */
export function nextHoldExpiryMs(state: LedgerState): number | null {
  for (let due = state.holdDeadlines.peek(); due !== undefined; due = state.holdDeadlines.peek()) {
    if (state.holds.get(due.key)?.status === 'pending') return due.atMs;
    state.holdDeadlines.pop();
  }
  return null;
}
