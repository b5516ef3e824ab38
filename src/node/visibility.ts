import { disclose, type DisclosedTransaction, type EventRecord, type TransactionEnvelope } from '../chain/index.js';
import { lookupIn, operationDefinition, overseesLedger, type LedgerState, type Participant } from '../core/index.js';
import type { StoredTransaction } from '../store/types.js';

/**
 * Who may see what. Every answer is derived from what is signed (a transaction's
 * sender, signers and operations; its result) or derived by replay (an event's content),
 * and from facts that never change once true (the owner of an account, the accounts of
 * a hold): never from a stored list of viewers, which a damaged or forged row could widen.
 */
export interface Viewer {
  readonly participant: Participant;
  /** Operator, compliance and auditors see the whole ledger. */
  readonly seesAll: boolean;
}

export function viewerOf(participant: Participant): Viewer {
  return { participant, seesAll: overseesLedger(participant.roles) };
}

/** What the event rule reads: participants (their delegates) and accounts (their owners). The ledger's state is one; a module's copy is another. */
export interface EventAudience {
  readonly participants: { get(id: string): Pick<Participant, 'delegates'> | undefined };
  readonly accounts: { get(id: string): { readonly owner: string } | undefined };
}

/** What of an event decides who sees it. */
export type EventParties = Pick<EventRecord, 'participants' | 'accounts'> & { readonly transaction: { readonly sender: string; readonly signers: readonly string[] } | null };

/** Whether the viewer is `party` or acts for it as a delegate it named. */
export function actsAs(viewer: Viewer, party: string | undefined, state: Pick<EventAudience, 'participants'>): boolean {
  if (party === undefined) return false;
  if (party === viewer.participant.id) return true;
  return state.participants.get(party)?.delegates.includes(viewer.participant.id) ?? false;
}

/** Which operations of a transaction the viewer may see: 'all' (an overseer, its sender or a signer), some, or none. */
export function visibleOperations(viewer: Viewer, tx: Pick<StoredTransaction, 'envelope' | 'result' | 'signers'>, state: LedgerState): 'all' | boolean[] {
  const { body } = tx.envelope;
  if (viewer.seesAll || actsAs(viewer, body.sender, state) || tx.signers.some((signer) => actsAs(viewer, signer, state))) return 'all';
  // A rejected transaction concerns only who sent or signed it: nothing of it applied.
  if (tx.result.status === 'rejected') return body.operations.map(() => false);
  const failed = new Set((tx.result.rejected ?? []).map((rejection) => rejection.operation));
  const lookup = lookupIn(state);
  return body.operations.map((op, index) => {
    if (failed.has(index)) return false;
    const parties = operationDefinition(op.type)?.parties(op as never, lookup) ?? [];
    return parties.some((party) => actsAs(viewer, party, state));
  });
}

export function canSeeTransaction(viewer: Viewer, tx: Pick<StoredTransaction, 'envelope' | 'result' | 'signers'>, state: LedgerState): boolean {
  const visible = visibleOperations(viewer, tx, state);
  return visible === 'all' || visible.some(Boolean);
}

/** The transaction as the viewer may see it: whole, or with the operations that do not concern it withheld (still provable). */
export function viewOfTransaction(viewer: Viewer, tx: Pick<StoredTransaction, 'envelope' | 'result' | 'signers'>, state: LedgerState): TransactionEnvelope | DisclosedTransaction {
  const visible = visibleOperations(viewer, tx, state);
  return visible === 'all' ? tx.envelope : disclose(tx.envelope, (index) => visible[index] === true);
}

/** Whether the viewer may see an event: it names the viewer, an account the viewer owns, or the viewer sent or signed its transaction. */
export function canSeeEvent(viewer: Viewer, event: EventParties, state: EventAudience): boolean {
  if (viewer.seesAll) return true;
  if (event.participants.some((party) => actsAs(viewer, party, state))) return true;
  if (event.transaction !== null && (actsAs(viewer, event.transaction.sender, state) || event.transaction.signers.some((signer) => actsAs(viewer, signer, state)))) return true;
  return event.accounts.some((account) => actsAs(viewer, state.accounts.get(account)?.owner, state));
}
