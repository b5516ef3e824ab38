import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import type { AnyDatabase } from '../kit/database.js';
import type { Recorder } from '../kit/module.js';
import { depositReferenceOf } from './minting.js';
import type { CreditRow } from './tables.js';

/** The feed's events about mints a policy held back (dual control of the module's participant over large issues). */
export const HELD_EVENT_TYPES = ['approval_requested', 'proposal_rejected', 'proposal_expired'] as const;

type Change = { readonly key: string; readonly from: CreditRow['status']; readonly set: Partial<CreditRow> };

/**
 * What the feed says of credits whose mint waits for approval. The mint runs under the
 * approving transaction: its `issued` event (the module's own deposit reference, to the
 * credit's account) makes the credit minted, with that transaction's id, so reconciliation
 * finds it. A proposal rejected or lapsed sets its credits aside as refused (the desk may
 * retry once the approvers agree). An approval requested of a transaction whose credits
 * are still minting (a module stopped before it recorded the answer: the feed comes first
 * on restart, and a resend is answered without the proposals) or recorded as minted makes
 * them held. Changes apply in that order, in the page's transaction.
 */
export class HeldMints {
  constructor(
    private readonly db: AnyDatabase,
    private readonly client: DepositumClient,
    private readonly settings: { readonly omnibusAccount: string; readonly asset: string },
  ) {}

  async changes(events: readonly LedgerEvent[]): Promise<Recorder | undefined> {
    const issued = events.filter((e) => e.type === 'issued' && e.data['asset'] === this.settings.asset && e.data['minter'] === this.client.participant);
    const decided = events.filter((e) => e.type === 'proposal_rejected' || e.type === 'proposal_expired');
    const requested = events.filter((e) => e.type === 'approval_requested' && e.transaction?.id?.startsWith('bank-credit') === true);
    if (issued.length === 0 && decided.length === 0 && requested.length === 0) return undefined;
    const { changes: nowHeld, credits: newlyHeld } = await this.held(requested);
    const held = issued.length === 0 && decided.length === 0 ? [] : [...await this.heldCredits(), ...newlyHeld];
    const changes = [...nowHeld, ...this.minted(issued, held), ...this.refused(decided, held)];
    if (changes.length === 0) return undefined;
    return async (trx) => {
      for (const change of changes) await trx.updateTable('banking_credits').set(change.set).where('entry_key', '=', change.key).where('status', '=', change.from).execute();
    };
  }

  /** Held credits that the page's mints (by the module, with their deposit reference, to their account) have now minted. */
  private minted(issued: readonly LedgerEvent[], held: readonly CreditRow[]): Change[] {
    if (issued.length === 0 || held.length === 0) return [];
    const byMint = new Map(held.map((credit) => [`${credit.token_account ?? ''}\n${this.depositReferenceOf(credit)}`, credit]));
    return issued.flatMap((event) => {
      const credit = byMint.get(`${String(event.data['account'])}\n${String(event.data['depositReference'])}`);
      return credit === undefined || event.transaction == null ? [] : [{ key: credit.entry_key, from: 'held' as const, set: { status: 'minted' as const, transaction_id: event.transaction.id, detail: null } }];
    });
  }

  /** Held credits of proposals rejected or lapsed: set aside, their ids spent on a mint that never ran. */
  private refused(decided: readonly LedgerEvent[], held: readonly CreditRow[]): Change[] {
    return decided.flatMap((event) => {
      const proposal = String(event.data['proposal']);
      const why = event.type === 'proposal_rejected' ? `rejected by ${String(event.data['by'])}` : 'lapsed without its approvals';
      return held.filter((credit) => credit.proposal_id === proposal).map((credit) => ({
        key: credit.entry_key, from: 'held' as const, set: { status: 'suspense' as const, reason: 'refused', detail: `the mint's approval was ${why} (proposal ${proposal})`, transaction_id: null },
      }));
    });
  }

  /** Credits minting, or recorded as minted, by a transaction whose mints a policy held back: held, as they are now. */
  private async held(requested: readonly LedgerEvent[]): Promise<{ changes: Change[]; credits: CreditRow[] }> {
    const changes: Change[] = [];
    const credits: CreditRow[] = [];
    for (const event of requested) {
      const candidates = await this.db.selectFrom('banking_credits').selectAll().where('transaction_id', '=', event.transaction!.id).where('status', 'in', ['minting', 'minted']).execute() as CreditRow[];
      if (candidates.length === 0) continue;
      const proposal = String(event.data['proposal']);
      const references = new Set((await this.client.proposal(proposal)).operations.flatMap((op) => (op['type'] === 'issue' ? [String(op['depositReference'])] : [])));
      for (const credit of candidates) {
        if (!references.has(this.depositReferenceOf(credit))) continue;
        const set = { status: 'held' as const, proposal_id: proposal, detail: `awaiting approval (proposal ${proposal})` };
        changes.push({ key: credit.entry_key, from: credit.status, set });
        credits.push({ ...credit, ...set });
      }
    }
    return { changes, credits };
  }

  private async heldCredits(): Promise<CreditRow[]> {
    return this.db.selectFrom('banking_credits').selectAll().where('status', '=', 'held').execute() as Promise<CreditRow[]>;
  }

  private depositReferenceOf(credit: CreditRow): string {
    return depositReferenceOf(credit.entry_key.slice(this.settings.omnibusAccount.length + 1));
  }
}
