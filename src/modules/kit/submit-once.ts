import type { Operation, TransactionResult } from '../../core/index.js';
import { DepositumApiError, type DepositumClient } from '../../sdk/index.js';

export type SubmitOutcome = { readonly status: 'committed' } | { readonly status: 'rejected'; readonly code: string; readonly message: string };

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
export async function submitOnce(client: DepositumClient, op: Operation, id: string, memo: string): Promise<SubmitOutcome> {
  try {
    const submission = await client.submit([op], { id, memo });
    if (submission.status !== 'sealed') throw new Error(`transaction ${id} not sealed`);
    return outcomeOf(submission.receipt.result, submission.explanations?.[0]?.message);
  } catch (error) {
    if (!(error instanceof DepositumApiError) || error.status >= 500 || error.status === 429) throw error;
    if (error.code === 'idempotency_conflict') return outcomeOf((await client.transactionById(client.participant, id)).result, 'refused when first submitted');
    // Refused at admission (an unknown account, a malformed amount): nothing was recorded on the ledger.
    return { status: 'rejected', code: error.code, message: error.message };
  }
}
