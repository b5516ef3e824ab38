import type { Operation, TransactionResult } from '../../core/index.js';
import { DepositumApiError, type DepositumClient } from '../../sdk/index.js';

export type SubmitOutcome = { readonly status: 'committed' } | { readonly status: 'rejected'; readonly code: string; readonly message: string };
/** Proposals a policy held operations back as (they run once approved, under the approving transaction); known when the submission itself was answered. */
export type HeldBack = readonly string[];

function outcomeOf(result: TransactionResult, message: string | undefined): SubmitOutcome {
  return result.status === 'committed' ? { status: 'committed' } : { status: 'rejected', code: result.code, message: message ?? result.code };
}

/**
 * Submits one operation (a mint, an attestation) under an id derived from what it answers
 * (a bank entry, a rejected payout, a statement's figures), so it happens at most once. Resent after a crash, the ledger answers with the first
 * outcome (replayed), or, once the first attempt's validity window is gone and the body
 * differs, refuses the id as used: the first outcome is then read back. A node that is
 * unreachable or busy throws: nothing is recorded, and the caller tries again later.
 */
export async function submitOnce(client: DepositumClient, op: Operation, id: string, memo: string): Promise<SubmitOutcome & { heldBack?: HeldBack }> {
  try {
    const submission = await client.submit([op], { id, memo });
    if (submission.status !== 'sealed') throw new Error(`transaction ${id} not sealed`);
    return { ...outcomeOf(submission.receipt.result, submission.explanations?.[0]?.message), ...(submission.heldBack !== undefined && { heldBack: submission.heldBack }) };
  } catch (error) {
    if (!(error instanceof DepositumApiError) || error.status >= 500 || error.status === 429) throw error;
    if (error.code === 'idempotency_conflict') return outcomeOf((await client.transactionById(client.participant, id)).result, 'refused when first submitted');
    // Refused at admission (an unknown account, a malformed amount): nothing was recorded on the ledger.
    return { status: 'rejected', code: error.code, message: error.message };
  }
}

/**
 * What became of a bulk transaction: each operation's outcome, beside the operations as the
 * ledger recorded them (a resend finds the first attempt's, which may be ordered otherwise);
 * or the node refused the whole at admission (nothing recorded).
 */
export type EachOutcome =
  | { readonly admitted: true; readonly operations: readonly Operation[]; readonly outcomes: readonly SubmitOutcome[]; readonly heldBack?: HeldBack }
  | { readonly admitted: false; readonly code: string; readonly message: string };

function eachOutcomeOf(result: TransactionResult, count: number, explanations: readonly { operation: number | null; message: string }[] | undefined): SubmitOutcome[] {
  if (result.status === 'rejected') return Array.from({ length: count }, () => outcomeOf(result, explanations?.[0]?.message));
  const refused = new Map((result.rejected ?? []).map((r) => [r.operation, r.code]));
  const why = new Map((explanations ?? []).map((e) => [e.operation, e.message]));
  return Array.from({ length: count }, (_, index) => {
    const code = refused.get(index);
    return code === undefined ? { status: 'committed' as const } : { status: 'rejected' as const, code, message: why.get(index) ?? code };
  });
}

/**
 * Submits operations that each apply or fail on their own (`atomic: false`) under one id
 * derived from what they answer, so the whole happens at most once, with one signature
 * and one request for all. Like submitOnce: a resend finds the first outcome; a node that
 * is unreachable or busy throws and nothing is recorded. A refusal at admission (one
 * operation the node will not even sequence) is returned, so the caller can send the
 * operations one by one instead.
 */
export async function submitEachOnce(client: DepositumClient, ops: Operation[], id: string, memo: string): Promise<EachOutcome> {
  try {
    const submission = await client.submit(ops, { id, memo, atomic: false });
    if (submission.status !== 'sealed') throw new Error(`transaction ${id} not sealed`);
    return { admitted: true, operations: ops, outcomes: eachOutcomeOf(submission.receipt.result, ops.length, submission.explanations), ...(submission.heldBack !== undefined && { heldBack: submission.heldBack }) };
  } catch (error) {
    if (!(error instanceof DepositumApiError) || error.status >= 500 || error.status === 429) throw error;
    if (error.code === 'idempotency_conflict') {
      const first = await client.transactionById(client.participant, id);
      const operations = first.envelope?.body.operations ?? ops;
      return { admitted: true, operations, outcomes: eachOutcomeOf(first.result, operations.length, undefined) };
    }
    return { admitted: false, code: error.code, message: error.message };
  }
}
