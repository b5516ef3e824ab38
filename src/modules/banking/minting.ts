import { formatAmount, parseAmount, type Operation } from '../../core/index.js';
import { sha256Hex } from '../../chain/index.js';
import type { AssetSupply, DepositumClient } from '../../sdk/index.js';
import type { AnyDatabase } from '../kit/database.js';
import { submitEachOnce, submitOnce, type HeldBack, type SubmitOutcome } from '../kit/submit-once.js';
import type { CreditRow } from './tables.js';

/** A ledger reference for the bank entry: the bank's own if it fits ISO 20022's reference type, else a digest of it. */
const REFERENCE = /^(?=.{1,35}$)(?!.*\/\/)[A-Za-z0-9?:().,'+-](?:[A-Za-z0-9/?:().,'+ -]*[A-Za-z0-9?:().,'+-])?$/;

/** The deposit reference a mint carries for the bank's reference of its entry: how the ledger's mint and the bank's entry find each other. */
export function depositReferenceOf(reference: string): string {
  return REFERENCE.test(reference) ? reference : sha256Hex(reference).slice(0, 32);
}

/** The mint of one bank entry: derived from the bank's reference for it, so it happens once. */
export function creditTransactionId(entryKey: string): string {
  return `bank-credit:${sha256Hex(entryKey).slice(0, 40)}`;
}

const WAVE = 'bank-credits:';

/** The mints of several bank entries in one transaction: derived from the entries, which are recorded with it before it is sent. */
export function creditsTransactionId(entryKeys: readonly string[]): string {
  return `${WAVE}${sha256Hex([...entryKeys].sort().join('\n')).slice(0, 40)}`;
}

/** What became of a credit recorded as minting: minted; held back by a policy until its approvers approve (the proposal); or why not (the suspense reason and the ledger's words). */
export type MintOutcome =
  | { readonly outcome: 'minted'; readonly transactionId: string }
  | { readonly outcome: 'held'; readonly proposal: string }
  | { readonly outcome: 'refused'; readonly reason: 'over_allowance' | 'refused'; readonly detail: string };

/**
 * Mints the credits recorded as `minting` under a transaction id, and records what became
 * of each. The rows are written before the mint (a write-ahead record), so a module that
 * stopped in between finds them and sends the same transaction id again: the ledger
 * commits an id at most once, so a credit is minted once whatever the crash. Several
 * credits go in one transaction whose mints each apply or fail on their own; one the
 * node refuses at admission is split, each credit under its own id (recorded first), so
 * one bad credit does not hold the others back.
 */
export class CreditMinting {
  constructor(
    private readonly db: AnyDatabase,
    private readonly client: DepositumClient,
    private readonly asset: () => Promise<AssetSupply>,
    private readonly omnibusAccount: string,
  ) {}

  /** Credits a stopped module left minting, each transaction sent again; what became of them by entry key. */
  async resume(): Promise<Map<string, MintOutcome>> {
    const rows = await this.db.selectFrom('banking_credits').select('transaction_id').distinct().where('status', '=', 'minting').execute() as { transaction_id: string | null }[];
    const outcomes = new Map<string, MintOutcome>();
    for (const { transaction_id: id } of rows) if (id !== null) for (const [key, outcome] of await this.mint(id)) outcomes.set(key, outcome);
    return outcomes;
  }

  /** Mints what is recorded as minting under `transactionId`; what became of each credit by entry key. */
  async mint(transactionId: string): Promise<Map<string, MintOutcome>> {
    const rows = await this.db.selectFrom('banking_credits').selectAll().where('transaction_id', '=', transactionId).where('status', '=', 'minting').orderBy('entry_key').execute() as CreditRow[];
    if (rows.length === 0) return new Map();
    const asset = await this.asset();
    const ops = rows.map((row) => this.mintOf(row, asset));
    const memo = rows.length === 1 ? `camt.054 entry ${this.referenceOf(rows[0]!)}${rows[0]!.end_to_end_id === null ? '' : `, end-to-end ${rows[0]!.end_to_end_id}`}` : `${rows.length} camt.054 entries`;
    // One credit alone is atomic: its transaction commits only if it minted, which retry relies on.
    // A wave stays a bulk transaction even when a resend finds fewer of its credits still minting.
    const sent = transactionId.startsWith(WAVE) ? await submitEachOnce(this.client, ops, transactionId, memo) : await this.submitOne(ops[0]!, transactionId, memo);
    if (!sent.admitted) return this.split(rows);
    return this.record(transactionId, rows, this.outcomesByCredit(rows, sent.operations, sent.outcomes), await this.heldIn(sent.heldBack ?? [], rows));
  }

  private async submitOne(op: Operation, transactionId: string, memo: string): Promise<{ admitted: true; operations: Operation[]; outcomes: SubmitOutcome[]; heldBack?: HeldBack }> {
    const { heldBack, ...outcome } = await submitOnce(this.client, op, transactionId, memo);
    return { admitted: true, operations: [op], outcomes: [outcome], ...(heldBack !== undefined && { heldBack }) };
  }

  /**
   * Each credit's outcome, found by the deposit reference of its mint among the operations
   * the ledger recorded (a resend is answered with the first attempt's, whose credits may
   * have moved on since). A credit the transaction does not carry was never minted by it.
   */
  private outcomesByCredit(rows: readonly CreditRow[], operations: readonly Operation[], outcomes: readonly SubmitOutcome[]): Map<string, SubmitOutcome> {
    const byReference = new Map<string, SubmitOutcome>();
    for (const [index, op] of operations.entries()) if (op.type === 'issue') byReference.set(op.depositReference, outcomes[index]!);
    return new Map(rows.map((row) => [row.entry_key, byReference.get(depositReferenceOf(this.referenceOf(row))) ?? { status: 'rejected', code: 'not_in_transaction', message: 'the transaction recorded under this id does not mint this credit' }]));
  }

  /**
   * Which credits the proposals a policy made of the transaction hold: each proposal's
   * mints, by the deposit reference they carry. (A transaction resent after a crash is
   * answered without them: its held mints are found on the feed, see HeldMints.)
   */
  private async heldIn(proposals: HeldBack, rows: readonly CreditRow[]): Promise<Map<string, string>> {
    const held = new Map<string, string>();
    if (proposals.length === 0) return held;
    const byReference = new Map(rows.map((row) => [depositReferenceOf(this.referenceOf(row)), row.entry_key]));
    for (const id of proposals) {
      for (const op of (await this.client.proposal(id)).operations) {
        const key = op['type'] === 'issue' ? byReference.get(String(op['depositReference'])) : undefined;
        if (key !== undefined) held.set(key, id);
      }
    }
    return held;
  }

  /** Each credit of a transaction the node refused under an id of its own, recorded before any is sent. */
  private async split(rows: readonly CreditRow[]): Promise<Map<string, MintOutcome>> {
    await this.db.transaction().execute(async (trx) => {
      for (const row of rows) await trx.updateTable('banking_credits').set({ transaction_id: creditTransactionId(row.entry_key) }).where('entry_key', '=', row.entry_key).where('status', '=', 'minting').execute();
    });
    const outcomes = new Map<string, MintOutcome>();
    for (const row of rows) for (const [key, outcome] of await this.mint(creditTransactionId(row.entry_key))) outcomes.set(key, outcome);
    return outcomes;
  }

  /** The credits minted, held, and those refused set aside in suspense with the ledger's words; in one database transaction. */
  private async record(transactionId: string, rows: readonly CreditRow[], sent: ReadonlyMap<string, SubmitOutcome>, held: ReadonlyMap<string, string>): Promise<Map<string, MintOutcome>> {
    const outcomes = new Map<string, MintOutcome>();
    for (const row of rows) {
      const outcome = sent.get(row.entry_key)!;
      const proposal = held.get(row.entry_key);
      outcomes.set(row.entry_key, outcome.status === 'rejected'
        ? { outcome: 'refused', reason: outcome.code === 'allowance_exceeded' ? 'over_allowance' : 'refused', detail: outcome.code === 'allowance_exceeded' ? outcome.message : `${outcome.code}: ${outcome.message}` }
        : proposal === undefined ? { outcome: 'minted', transactionId } : { outcome: 'held', proposal });
    }
    await this.db.transaction().execute(async (trx) => {
      for (const [key, outcome] of outcomes) {
        if (outcome.outcome === 'held') {
          await trx.updateTable('banking_credits').set({ status: 'held', proposal_id: outcome.proposal, detail: `awaiting approval (proposal ${outcome.proposal})` }).where('entry_key', '=', key).where('status', '=', 'minting').execute();
        } else if (outcome.outcome === 'refused') {
          // The id is spent on a transaction that did not mint it: a retry mints under another.
          await trx.updateTable('banking_credits').set({ status: 'suspense', reason: outcome.reason, detail: outcome.detail, transaction_id: null }).where('entry_key', '=', key).where('status', '=', 'minting').execute();
        }
      }
      await trx.updateTable('banking_credits').set({ status: 'minted' }).where('transaction_id', '=', transactionId).where('status', '=', 'minting').execute();
    });
    return outcomes;
  }

  private mintOf(row: CreditRow, asset: AssetSupply): Operation {
    const parsed = parseAmount(row.amount, asset.decimals);
    if (!parsed.ok || row.token_account === null) throw new Error(`credit ${row.entry_key} is recorded as minting without an account or a mintable amount`);
    return { type: 'issue', account: row.token_account, amount: formatAmount(parsed.minor, asset.decimals), depositReference: depositReferenceOf(this.referenceOf(row)) };
  }

  private referenceOf(row: CreditRow): string {
    return row.entry_key.slice(this.omnibusAccount.length + 1);
  }
}
