import { sha256Hex } from '../../chain/index.js';
import { formatAmount, parseAmount, type Operation } from '../../core/index.js';
import type { AssetSupply, DepositumClient } from '../../sdk/index.js';
import { chunksOf } from '../kit/bulk.js';
import type { AnyDatabase } from '../kit/database.js';
import { MessageError, type AccountReport, type BankReport } from './iso20022/index.js';
import { submitOnce } from '../kit/submit-once.js';
import { depositReferenceOf } from './minting.js';
import { StatementPages } from './statement-pages.js';
import { closingOf, entryRowsOf, openingOf, signed, timeOf } from './statement-rows.js';
import { mintsBetween, mintsOf, supplyAt, type Mint, type TransactionIds } from './supply.js';
import type { BreakRow, CreditRow, StatementEntryRow, StatementRow } from './tables.js';

/** How long a redemption may wait for the bank's debit before it is a break rather than in transit. */
export const PAYOUT_GRACE_MS_DEFAULT = 2 * 86_400_000;

export interface ReconcilerSettings {
  readonly omnibusAccount: string;
  readonly asset: string;
  readonly payoutGraceMs?: number;
}

/** What one reconciliation found: the figures the attestation carries, and the breaks. */
export interface ReconciliationOutcome {
  readonly statement: string;
  readonly duplicate: boolean;
  readonly reconciled: boolean;
  readonly closingBalance: string;
  readonly supply: string;
  readonly creditsInTransit: string;
  readonly payoutsInTransit: string;
  readonly unexplained: string;
  readonly breaks: number;
  readonly attestation: string | null;
  readonly attestationProblem: string | null;
}

type NewBreak = Pick<BreakRow, 'kind' | 'subject' | 'amount' | 'detail'>;
/** What matching a statement's credit needs of the camt.054 credit it books. */
type NotifiedCredit = Pick<CreditRow, 'entry_key' | 'amount' | 'booking_date' | 'status' | 'reason' | 'transaction_id' | 'returned_in'>;
/** The same, as the columns of a left join (all null when the bank never notified the credit). */
interface NotifiedCreditColumns {
  c_entry_key: string | null;
  c_amount: string | null;
  c_booking_date: string | null;
  c_status: CreditRow['status'] | null;
  c_reason: string | null;
  c_transaction_id: string | null;
  c_returned_in: string | null;
}

/**
 * How a mint is told apart: by its transaction and the deposit reference it carries (a
 * transaction mints many credits); by its transaction alone if it was logged without one.
 */
function mintKey(transactionId: string, depositReference: string | null): string {
  return depositReference === null ? transactionId : `${transactionId}\n${depositReference}`;
}

/** Signed minor units as a decimal, with a leading - when negative. */
function signedText(minor: bigint, decimals: number): string {
  return minor < 0n ? `-${formatAmount(-minor, decimals)}` : formatAmount(minor, decimals);
}

/**
 * Statements → reconciliation. A camt.053 (or camt.052) of the omnibus account is kept
 * with its booked entries, then reconciled: every credit matched to the mint of its
 * camt.054, every debit to the payout of a redemption (by end-to-end id), and the closing
 * balance set against the supply at the statement's cut-off (the feed's mints and
 * redemptions summed from the figure kept at the previous cut-off) plus the credits the
 * bank booked but not yet minted and the redemptions it has not yet paid out (both still
 * in the account). What does not match is a break, with its kind and age; the figures and
 * the count of breaks are attested on the chain. A statement in pages is kept page by page
 * (StatementPages) and reconciled once whole.
 */
export class Reconciler {
  private asset: AssetSupply | undefined;
  private readonly pages: StatementPages;

  constructor(
    private readonly db: AnyDatabase,
    private readonly client: DepositumClient,
    private readonly settings: ReconcilerSettings,
    private readonly nowMs: () => number,
  ) {
    this.pages = new StatementPages(db, settings.omnibusAccount, nowMs);
  }

  /** Keeps each report of the omnibus account (once per statement id) and reconciles it. */
  async take(message: BankReport, bytes: Uint8Array | string): Promise<ReconciliationOutcome[]> {
    if (message.messageType === 'camt.054') throw new MessageError('a camt.054 is a notification, not a statement: deposits are taken from it, not reconciled');
    const reports = message.reports.filter((report) => report.account.id === this.settings.omnibusAccount);
    if (reports.length === 0) throw new MessageError(`${message.messageType} ${message.messageId} reports on no account this module reconciles (the omnibus account is ${this.settings.omnibusAccount})`);
    const hash = sha256Hex(bytes);
    const outcomes: ReconciliationOutcome[] = [];
    for (const report of reports) {
      const seen = await this.db.selectFrom('banking_statements').selectAll().where('statement_id', '=', report.id).executeTakeFirst() as StatementRow | undefined;
      const page = report.page !== undefined && !(report.page.number === 1 && report.page.last) ? report.page : undefined;
      if (page === undefined) {
        if (seen !== undefined && seen.hash !== hash) throw new MessageError(`statement ${report.id} was received before with other content: the first one stands`);
        // Whole, while pages of the same statement wait for the rest: which one the bank meant is not for the module to guess.
        const pages = seen === undefined ? await this.pages.waiting(report.id) : 0;
        if (pages > 0) throw new MessageError(`statement ${report.id} is being received in pages (${pages} so far): a whole statement of the same id is refused`);
        if (seen === undefined) await this.keep(message, report, hash);
      } else if (seen !== undefined) {
        if (!(await this.pages.samePage(report.id, page.number, hash))) throw new MessageError(`statement ${report.id} was received before, whole or in pages, and this page ${page.number} is not one of them: the first one stands`);
      } else {
        // A page of a statement not complete yet: kept, and reconciled with the page that completes it.
        const statement = await this.pages.keep(message, { ...report, page }, hash, (await this.tokenAsset()).code);
        if (statement === null) continue;
      }
      outcomes.push(seen?.reconciled_at_ms != null ? { ...this.outcomeOf(seen), duplicate: true } : await this.run(report.id));
    }
    return outcomes;
  }

  /** Reconciles a kept statement again (after a suspense credit was minted, say): its open breaks are recomputed and the figures attested again. */
  async run(statementId: string): Promise<ReconciliationOutcome> {
    const statement = await this.db.selectFrom('banking_statements').selectAll().where('statement_id', '=', statementId).executeTakeFirst() as StatementRow | undefined;
    if (statement === undefined) throw new MessageError(`no statement ${statementId}`);
    const asset = await this.tokenAsset();
    const minor = (text: string) => {
      const negative = text.startsWith('-');
      const parsed = parseAmount(negative ? text.slice(1) : text, asset.decimals);
      if (!parsed.ok) throw new MessageError(`amount ${text} is not an amount of ${asset.id} (${asset.decimals} decimals)`);
      return negative ? -parsed.minor : parsed.minor;
    };
    const cutoff = Number(statement.cutoff_ms);
    const supply = await supplyAt(this.db, cutoff, minor);
    const breaks: NewBreak[] = [];
    // Debits first: a credit sent back to its sender is settled by the debit of its return.
    await this.matchDebits(cutoff, minor, breaks);
    const creditsInTransit = await this.matchCredits(cutoff, minor, breaks);
    const payoutsInTransit = await this.payoutsInTransit(cutoff, minor, breaks);
    await this.unbackedMints(statement, minor, asset.decimals, breaks);
    await this.continuity(statement, breaks);
    const closing = minor(statement.closing_balance);
    // Both kinds of money in transit are still in the account: credits not yet minted, redemptions not yet paid out.
    const unexplained = closing - supply - creditsInTransit - payoutsInTransit;
    if (unexplained !== 0n) {
      const others = breaks.length === 0 ? '' : `; ${breaks.length} other break${breaks.length === 1 ? '' : 's'} of this statement may account for it`;
      breaks.push({ kind: 'balance_difference', subject: `${statementId}/closing`, amount: signedText(unexplained, asset.decimals), detail: `closing balance ${signedText(closing, asset.decimals)} ≠ supply ${formatAmount(supply, asset.decimals)} + credits in transit ${formatAmount(creditsInTransit, asset.decimals)} + payouts in transit ${formatAmount(payoutsInTransit, asset.decimals)}${others}` });
    }
    const figures = { supply: formatAmount(supply, asset.decimals), credits_in_transit: formatAmount(creditsInTransit, asset.decimals), payouts_in_transit: formatAmount(payoutsInTransit, asset.decimals), unexplained: signedText(unexplained, asset.decimals) };
    await this.recordBreaks(statementId, breaks);
    const attestation = await this.attest(statement, { ...figures, statementBalance: signedText(closing, asset.decimals), breaks: breaks.length });
    const row = { ...figures, breaks: breaks.length, reconciled_at_ms: this.nowMs(), attestation_id: attestation.id, attestation_problem: attestation.problem };
    await this.db.updateTable('banking_statements').set(row).where('statement_id', '=', statementId).execute();
    return this.outcomeOf({ ...statement, ...row });
  }

  private outcomeOf(row: StatementRow): ReconciliationOutcome {
    return {
      statement: row.statement_id, duplicate: false, reconciled: row.breaks === 0 && row.attestation_problem === null, closingBalance: row.closing_balance,
      supply: row.supply ?? '', creditsInTransit: row.credits_in_transit ?? '', payoutsInTransit: row.payouts_in_transit ?? '', unexplained: row.unexplained ?? '',
      breaks: row.breaks ?? 0, attestation: row.attestation_id, attestationProblem: row.attestation_problem,
    };
  }

  /** Stores the statement and its booked entries, in one transaction. */
  private async keep(message: BankReport, report: AccountReport, hash: string): Promise<void> {
    const asset = await this.tokenAsset();
    const closing = closingOf(report);
    if (closing === undefined) throw new MessageError(`${message.messageType} ${report.id} states no closing (CLBD) or interim (ITBD) balance`);
    if (closing.currency !== asset.code) throw new MessageError(`${message.messageType} ${report.id} is in ${closing.currency}; ${asset.id} is in ${asset.code}`);
    const opening = openingOf(report);
    const row: StatementRow = {
      statement_id: report.id, message_id: message.messageId, message_type: `${message.messageType}.${message.version}`, hash,
      from_ms: report.from === undefined ? null : timeOf(report.from, 'FrDtTm'), cutoff_ms: timeOf(report.to ?? report.createdAt ?? message.createdAt, 'the statement\'s cut-off'),
      currency: closing.currency, opening_balance: opening === undefined ? null : signed(opening), closing_balance: signed(closing),
      entries: report.entries.length, received_at_ms: this.nowMs(), supply: null, credits_in_transit: null, payouts_in_transit: null, unexplained: null,
      breaks: null, reconciled_at_ms: null, attestation_id: null, attestation_problem: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('banking_statements').values(row).execute();
      for (const part of chunksOf(entryRowsOf(report, this.settings.omnibusAccount))) await trx.insertInto('banking_statement_entries').values(part).execute();
    });
  }

  /** The mint key a credit recorded as minted should find among the ledger's mints: its own, or its transaction's if the mint was logged without its reference. */
  private mintKeysOf(credit: Pick<CreditRow, 'entry_key' | 'transaction_id'>): [string, string] | null {
    if (credit.transaction_id === null) return null;
    return [mintKey(credit.transaction_id, depositReferenceOf(credit.entry_key.slice(this.settings.omnibusAccount.length + 1))), mintKey(credit.transaction_id, null)];
  }

  /**
   * Credits booked by the cut-off and not yet settled: each matched to the mint of its
   * camt.054 (amount and booking day checked). One not minted by the cut-off is in transit;
   * with no mint at all (never notified, or in suspense), it is also a break.
   */
  private async matchCredits(cutoff: number, minor: (text: string) => bigint, breaks: NewBreak[]): Promise<bigint> {
    const open = await this.openCredits(cutoff);
    const minted = await mintsOf(this.db, cutoff, this.openCreditMints(cutoff));
    const deposits = new Set(minted.map((mint) => mintKey(mint.id!, mint.depositReference)));
    let inTransit = 0n;
    const settled: StatementEntryRow[] = [];
    for (const { credit, ...entry } of open) {
      const subject = entry.entry_key ?? `${entry.statement_id}/${entry.n}`;
      const keys = credit?.status === 'minted' ? this.mintKeysOf(credit) : null;
      if (credit !== undefined && keys !== null && keys.some((key) => deposits.has(key))) {
        // A different amount stays open (and is looked at again each time); a different day is noted once.
        if (minor(credit.amount) !== minor(entry.amount)) breaks.push({ kind: 'amount_mismatch', subject, amount: entry.amount, detail: `the statement books ${entry.amount}; ${credit.amount} was minted by ${credit.transaction_id}` });
        else settled.push(entry);
        if (credit.booking_date !== null && entry.booking_date !== null && credit.booking_date.slice(0, 10) !== entry.booking_date.slice(0, 10)) {
          breaks.push({ kind: 'date_mismatch', subject, amount: entry.amount, detail: `booked ${entry.booking_date.slice(0, 10)} in the statement, ${credit.booking_date.slice(0, 10)} in the notification` });
        }
        continue;
      }
      if (credit?.status === 'returned' && credit.returned_in != null) {
        settled.push(entry);
        continue;
      }
      // Not minted (yet), or sent back and not yet debited: the bank holds it, the supply does not.
      inTransit += minor(entry.amount);
      if (credit === undefined) breaks.push({ kind: 'unmatched_bank_entry', subject, amount: entry.amount, detail: 'a credit the bank booked and never notified (no camt.054 for it): nothing was minted' });
      else if (credit.status === 'suspense') breaks.push({ kind: 'unmatched_bank_entry', subject, amount: entry.amount, detail: `a credit in suspense (${credit.reason ?? 'no reason'}): nothing was minted` });
    }
    await this.settle(settled);
    return inTransit;
  }

  /** Debits booked by the cut-off and not yet settled: each the payout of a redemption, or the return of a credit in suspense, by end-to-end id; any other is a break. */
  private async matchDebits(cutoff: number, minor: (text: string) => bigint, breaks: NewBreak[]): Promise<void> {
    const open = await this.openEntries('debit', cutoff).execute() as StatementEntryRow[];
    const endToEndIds = open.map((e) => e.end_to_end_id).filter((k): k is string => k !== null);
    const payouts = await this.byKey<{ position: string; amount: string; end_to_end_id: string; debited_in: string | null }>('banking_payouts', 'end_to_end_id', endToEndIds);
    const returns = await this.byKey<CreditRow>('banking_credits', 'end_to_end_id', endToEndIds);
    const settled: StatementEntryRow[] = [];
    for (const entry of open) {
      const payout = entry.end_to_end_id === null ? undefined : payouts.get(entry.end_to_end_id);
      const subject = entry.entry_key ?? `${entry.statement_id}/${entry.n}`;
      const returned = entry.end_to_end_id === null ? undefined : returns.get(entry.end_to_end_id);
      if (payout === undefined && returned?.status === 'returned' && minor(returned.amount) === minor(entry.amount)) {
        await this.db.updateTable('banking_credits').set({ returned_in: entry.statement_id }).where('entry_key', '=', returned.entry_key).where('returned_in', 'is', null).execute();
        settled.push(entry);
        continue;
      }
      if (payout === undefined) {
        breaks.push({ kind: 'unmatched_bank_entry', subject, amount: entry.amount, detail: `a debit that pays out no redemption${entry.end_to_end_id === null ? '' : ` (end-to-end id ${entry.end_to_end_id})`}` });
        continue;
      }
      // Debited, whatever the amount: it is no longer in transit; a different amount stays a break.
      await this.db.updateTable('banking_payouts').set({ debited_in: entry.statement_id }).where('position', '=', payout.position).where('debited_in', 'is', null).execute();
      if (minor(payout.amount) !== minor(entry.amount)) breaks.push({ kind: 'amount_mismatch', subject, amount: entry.amount, detail: `the statement debits ${entry.amount} for payout ${payout.end_to_end_id} of ${payout.amount}` });
      else settled.push(entry);
    }
    await this.settle(settled);
  }

  /**
   * Redemptions by the cut-off that the bank has not debited and whose tokens were not
   * given back by then (a rejected payout): in transit; older than the grace, a break.
   */
  private async payoutsInTransit(cutoff: number, minor: (text: string) => bigint, breaks: NewBreak[]): Promise<bigint> {
    const grace = this.settings.payoutGraceMs ?? PAYOUT_GRACE_MS_DEFAULT;
    const rows = await this.db.selectFrom('banking_supply as s').innerJoin('banking_payouts as p', 'p.position', 's.position')
      .select(['s.position', 's.amount', 's.time_ms', 'p.return_transaction_id', 'p.payout_reference', 'p.status'])
      .where('s.kind', '=', 'redeemed').where('s.time_ms', '<=', cutoff).where('p.debited_in', 'is', null).execute() as { position: string; amount: string; time_ms: number; return_transaction_id: string | null; payout_reference: string; status: string }[];
    const givenBack = new Set((await mintsOf(this.db, cutoff, rows.flatMap((row) => row.return_transaction_id ?? []))).map((mint) => mint.id));
    let inTransit = 0n;
    for (const row of rows) {
      if (row.return_transaction_id !== null && givenBack.has(row.return_transaction_id)) continue;
      inTransit += minor(row.amount);
      if (cutoff - Number(row.time_ms) > grace) {
        breaks.push({ kind: 'unmatched_ledger_entry', subject: row.position, amount: row.amount, detail: `redemption ${row.payout_reference} (payout ${row.status}) not debited by the bank ${Math.floor((cutoff - Number(row.time_ms)) / 3_600_000)} h after it` });
      }
    }
    return inTransit;
  }

  /** Mints of the statement's period that no bank credit backs (nor a rejected payout's return): minted without a deposit. */
  private async unbackedMints(statement: StatementRow, minor: (text: string) => bigint, decimals: number, breaks: NewBreak[]): Promise<void> {
    const previous = await this.db.selectFrom('banking_statements').select('cutoff_ms').where('cutoff_ms', '<', statement.cutoff_ms).orderBy('cutoff_ms', 'desc').limit(1).executeTakeFirst() as { cutoff_ms: number } | undefined;
    // The first statement's opening balance covers what was minted before the link: only its own period, if it states one, is checked.
    const start = previous === undefined ? statement.from_ms : previous.cutoff_ms;
    if (start === null) return;
    const inPeriod = (await mintsBetween(this.db, Number(start), Number(statement.cutoff_ms))).filter((m) => !(m.id?.startsWith('payout-return:') ?? false));
    // The credits of the period's mint transactions, in one query (a transaction mints many credits, so a semi-join, not a join).
    const credits = await this.db.selectFrom('banking_credits').select(['entry_key', 'transaction_id'])
      .where('transaction_id', 'in', this.db.selectFrom('banking_supply').select('transaction_id').where('kind', '=', 'issued').where('time_ms', '>', Number(start)).where('time_ms', '<=', Number(statement.cutoff_ms)))
      .execute() as Pick<CreditRow, 'entry_key' | 'transaction_id'>[];
    const backed = new Set<string>();
    for (const credit of credits) for (const key of this.mintKeysOf(credit) ?? []) backed.add(key);
    // One break per transaction (it may mint many deposits), for the sum of its mints no credit backs.
    const unbacked = new Map<string, Mint[]>();
    for (const mint of inPeriod) {
      if (mint.id !== null && backed.has(mintKey(mint.id, mint.depositReference))) continue;
      const subject = mint.id ?? `mint at ${new Date(mint.time).toISOString()}`;
      unbacked.set(subject, [...unbacked.get(subject) ?? [], mint]);
    }
    for (const [subject, found] of unbacked) {
      const amount = formatAmount(found.reduce((sum, m) => sum + minor(m.amount), 0n), decimals);
      const references = found.flatMap((m) => m.depositReference ?? []);
      const deposits = references.length === 0 ? '' : `; deposit reference${references.length === 1 ? '' : 's'} ${references.slice(0, 5).join(', ')}${references.length > 5 ? `, and ${references.length - 5} more` : ''}`;
      breaks.push({ kind: 'unmatched_ledger_entry', subject, amount, detail: `minted ${amount} with no bank credit behind it (transaction ${found[0]!.id ?? 'unknown'}${deposits})` });
    }
  }

  /** The opening balance must be the previous statement's closing one. */
  private async continuity(statement: StatementRow, breaks: NewBreak[]): Promise<void> {
    if (statement.opening_balance === null) return;
    const previous = await this.db.selectFrom('banking_statements').select(['statement_id', 'closing_balance']).where('cutoff_ms', '<', statement.cutoff_ms).where('message_type', 'like', 'camt.053%')
      .orderBy('cutoff_ms', 'desc').limit(1).executeTakeFirst() as { statement_id: string; closing_balance: string } | undefined;
    if (previous === undefined || !statement.message_type.startsWith('camt.053') || previous.closing_balance === statement.opening_balance) return;
    breaks.push({ kind: 'balance_difference', subject: `${statement.statement_id}/opening`, amount: null, detail: `opening balance ${statement.opening_balance} is not the closing balance ${previous.closing_balance} of statement ${previous.statement_id}` });
  }

  /** The entries of one side not yet settled, of the statements up to the cut-off, oldest statement first, in statement order. */
  private openEntries(side: 'credit' | 'debit', cutoff: number) {
    return this.openEntriesFrom(side, cutoff).selectAll('e').orderBy('s.cutoff_ms').orderBy('e.n');
  }

  private openEntriesFrom(side: 'credit' | 'debit', cutoff: number) {
    return this.db.selectFrom('banking_statement_entries as e').innerJoin('banking_statements as s', 's.statement_id', 'e.statement_id')
      .where('e.settled', '=', 0).where('e.credit_debit', '=', side).where('s.cutoff_ms', '<=', cutoff);
  }

  /** The mint transactions of the open credit entries, as a query (for a semi-join). */
  private openCreditMints(cutoff: number): TransactionIds {
    return this.openEntriesFrom('credit', cutoff).innerJoin('banking_credits as c', 'c.entry_key', 'e.entry_key').where('c.status', '=', 'minted').select('c.transaction_id') as TransactionIds;
  }

  /**
   * The open credit entries, each with the camt.054 credit it books (if any), in one
   * query: a statement's hundred thousand credits are not looked up a few hundred at a time.
   */
  private async openCredits(cutoff: number): Promise<(StatementEntryRow & { credit: NotifiedCredit | undefined })[]> {
    const rows = await this.openEntries('credit', cutoff).leftJoin('banking_credits as c', 'c.entry_key', 'e.entry_key')
      .select(['c.entry_key as c_entry_key', 'c.amount as c_amount', 'c.booking_date as c_booking_date', 'c.status as c_status', 'c.reason as c_reason', 'c.transaction_id as c_transaction_id', 'c.returned_in as c_returned_in'])
      .execute() as (StatementEntryRow & NotifiedCreditColumns)[];
    return rows.map(({ c_entry_key, c_amount, c_booking_date, c_status, c_reason, c_transaction_id, c_returned_in, ...entry }) => ({
      ...entry,
      credit: c_entry_key === null ? undefined : { entry_key: c_entry_key, amount: c_amount!, booking_date: c_booking_date, status: c_status!, reason: c_reason, transaction_id: c_transaction_id, returned_in: c_returned_in },
    }));
  }

  private async byKey<T>(table: string, column: string, keys: readonly string[]): Promise<Map<string, T>> {
    const found = new Map<string, T>();
    for (const part of chunksOf([...new Set(keys)])) {
      const rows = await this.db.selectFrom(table).selectAll().where(column, 'in', part).execute() as Record<string, unknown>[];
      for (const row of rows) found.set(String(row[column]), row as T);
    }
    return found;
  }

  private async settle(entries: readonly StatementEntryRow[]): Promise<void> {
    const byStatement = new Map<string, number[]>();
    for (const entry of entries) {
      const ns = byStatement.get(entry.statement_id);
      if (ns === undefined) byStatement.set(entry.statement_id, [entry.n]);
      else ns.push(entry.n);
    }
    for (const [statement, ns] of byStatement) {
      for (const part of chunksOf(ns)) {
        await this.db.updateTable('banking_statement_entries').set({ settled: 1 }).where('statement_id', '=', statement).where('n', 'in', part).execute();
      }
    }
  }

  /**
   * A break is one per kind and subject, raised by the first statement that finds it (its
   * age counts from then) and open until an operator resolves it with a note. One this
   * statement raised and no longer finds (the credit was minted since) is closed as such.
   */
  private async recordBreaks(statementId: string, breaks: readonly NewBreak[]): Promise<void> {
    const now = this.nowMs();
    const rows: BreakRow[] = [...new Map(breaks.map((b) => [`${b.kind}/${b.subject}`, b])).entries()].map(([id, b]) => ({
      ...b, id, statement_id: statementId, raised_at_ms: now, status: 'open', resolved_by: null, resolution_note: null, resolved_at_ms: null,
    }));
    const found = new Set(rows.map((r) => r.id));
    await this.db.transaction().execute(async (trx) => {
      for (const part of chunksOf(rows)) await trx.insertInto('banking_breaks').values(part).onConflict((oc) => oc.column('id').doNothing()).execute();
      const raised = await trx.selectFrom('banking_breaks').select('id').where('statement_id', '=', statementId).where('status', '=', 'open').execute() as { id: string }[];
      const gone = raised.map((r) => r.id).filter((id) => !found.has(id));
      for (const part of chunksOf(gone)) {
        await trx.updateTable('banking_breaks').set({ status: 'resolved', resolved_by: 'reconciliation', resolution_note: `no longer found when statement ${statementId} was reconciled again`, resolved_at_ms: now }).where('id', 'in', part).execute();
      }
    });
  }

  /** The figures on the chain, signed by the module's participant; the id is derived from them, so a rerun with the same figures attests once. */
  private async attest(statement: StatementRow, figures: { statementBalance: string; supply: string; credits_in_transit: string; payouts_in_transit: string; breaks: number }): Promise<{ id: string | null; problem: string | null }> {
    const op: Operation = {
      type: 'attest_reconciliation', asset: this.settings.asset, statement: statement.statement_id, statementHash: statement.hash, cutoffMs: Number(statement.cutoff_ms),
      statementBalance: figures.statementBalance, supply: figures.supply, creditsInTransit: figures.credits_in_transit, payoutsInTransit: figures.payouts_in_transit, breaks: figures.breaks,
    };
    const id = `reconciliation:${sha256Hex(JSON.stringify(op)).slice(0, 40)}`;
    const outcome = await submitOnce(this.client, op, id, `reconciliation of ${statement.message_type} ${statement.statement_id}`);
    return outcome.status === 'committed' ? { id, problem: null } : { id: null, problem: `${outcome.code}: ${outcome.message}` };
  }

  private async tokenAsset(): Promise<AssetSupply> {
    this.asset ??= await this.client.asset(this.settings.asset);
    return this.asset;
  }
}
