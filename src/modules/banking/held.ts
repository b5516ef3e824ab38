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
 * retry once the approvers agree). An approval requested of a transaction recorded as
 * minted (a resend after a crash is answered without the proposals) makes its credits held.
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
    const changes = [...await this.minted(issued), ...await this.refused(decided), ...await this.held(requested)];
    if (changes.length === 0) return undefined;
    return async (trx) => {
      for (const change of changes) await trx.updateTable('banking_credits').set(change.set).where('entry_key', '=', change.key).where('status', '=', change.from).execute();
    };
  }

  /** Held credits that the page's mints (by the module, with their deposit reference, to their account) have now minted. */
  private async minted(issued: readonly LedgerEvent[]): Promise<Change[]> {
    if (issued.length === 0) return [];
    const held = await this.heldCredits();
    if (held.length === 0) return [];
    const byMint = new Map(held.map((credit) => [`${credit.token_account ?? ''}\n${this.depositReferenceOf(credit)}`, credit]));
    return issued.flatMap((event) => {
      const credit = byMint.get(`${String(event.data['account'])}\n${String(event.data['depositReference'])}`);
      return credit === undefined || event.transaction == null ? [] : [{ key: credit.entry_key, from: 'held' as const, set: { status: 'minted' as const, transaction_id: event.transaction.id, detail: null } }];
    });
  }

  /** Held credits of proposals rejected or lapsed: set aside, their ids spent on a mint that never ran. */
  private async refused(decided: readonly LedgerEvent[]): Promise<Change[]> {
    if (decided.length === 0) return [];
    const held = await this.heldCredits();
    return decided.flatMap((event) => {
      const proposal = String(event.data['proposal']);
      const why = event.type === 'proposal_rejected' ? `rejected by ${String(event.data['by'])}` : 'lapsed without its approvals';
      return held.filter((credit) => credit.proposal_id === proposal).map((credit) => ({
        key: credit.entry_key, from: 'held' as const, set: { status: 'suspense' as const, reason: 'refused', detail: `the mint's approval was ${why} (proposal ${proposal})`, transaction_id: null },
      }));
    });
  }

  /** Credits recorded as minted by a transaction whose mints a policy held back (found when it was resent after a crash). */
  private async held(requested: readonly LedgerEvent[]): Promise<Change[]> {
    const changes: Change[] = [];
    for (const event of requested) {
      const credits = await this.db.selectFrom('banking_credits').selectAll().where('transaction_id', '=', event.transaction!.id).where('status', '=', 'minted').execute() as CreditRow[];
      if (credits.length === 0) continue;
      const proposal = String(event.data['proposal']);
      const references = new Set((await this.client.proposal(proposal)).operations.flatMap((op) => (op['type'] === 'issue' ? [String(op['depositReference'])] : [])));
      for (const credit of credits) {
        if (references.has(this.depositReferenceOf(credit))) changes.push({ key: credit.entry_key, from: 'minted', set: { status: 'held', proposal_id: proposal, detail: `awaiting approval (proposal ${proposal})` } });
      }
    }
    return changes;
  }

  private async heldCredits(): Promise<CreditRow[]> {
    return this.db.selectFrom('banking_credits').selectAll().where('status', '=', 'held').execute() as Promise<CreditRow[]>;
  }

  private depositReferenceOf(credit: CreditRow): string {
    return depositReferenceOf(credit.entry_key.slice(this.settings.omnibusAccount.length + 1));
  }
}
