import { sha256Hex } from '../../chain/index.js';
import { chunksOf } from '../kit/bulk.js';
import type { AnyDatabase } from '../kit/database.js';
import { MessageError, type AccountReport, type BankReport } from './iso20022/index.js';
import { closingOf, entryRowsOf, openingOf, signed, timeOf } from './statement-rows.js';
import type { StatementPageRow, StatementRow } from './tables.js';

/**
 * A statement's entries are numbered across its pages: page k's from (k − 1) × PAGE_SPAN,
 * so a page can be kept whenever it comes, before the pages ahead of it are known.
 */
const PAGE_SPAN = 1_000_000;
/**
 * A statement split over more messages than this is refused (a bank pages by thousands of
 * entries, not by one): the entry numbers stay below 2^31, PostgreSQL's integer.
 */
const MAX_PAGES = 2_000;

/**
 * The pages of statements a bank splits over several messages (StmtPgntn / MsgPgntn: a
 * statement too large for one message, as SWIFT's message size limits make common). Each
 * page is kept as it comes, in any order, with its entries; once the last page and every
 * page before it are in, the pages are the statement: the first one's opening balance and
 * period start, the last one's closing balance and cut-off, the entries of all in page
 * order, and as its hash the SHA-256 of the pages' SHA-256s (hex, one per line, in page
 * order). A page received again with the same content is a duplicate; with other content,
 * or beyond the statement's last page, it is refused.
 */
export class StatementPages {
  constructor(private readonly db: AnyDatabase, private readonly omnibusAccount: string, private readonly nowMs: () => number) {}

  /** Keeps one page; the statement's row once this page completes it (kept too, with the page), else null. */
  async keep(message: BankReport, report: AccountReport & { page: NonNullable<AccountReport['page']> }, hash: string, currency: string): Promise<StatementRow | null> {
    const where = `${message.messageType} ${report.id} page ${report.page.number}`;
    if (report.page.number > MAX_PAGES) throw new MessageError(`${where}: a statement of more than ${MAX_PAGES} pages is refused`);
    if (report.entries.length >= PAGE_SPAN) throw new MessageError(`${where}: a page of ${report.entries.length} entries is refused (at most ${PAGE_SPAN - 1})`);
    const pages = await this.pagesOf(report.id);
    const seen = pages.find((p) => p.page === report.page.number);
    if (seen !== undefined) {
      if (seen.hash !== hash) throw new MessageError(`${where} was received before with other content: the first one stands`);
      return null;
    }
    const last = pages.find((p) => p.last === 1);
    if (last !== undefined && report.page.number > last.page) throw new MessageError(`${where}: page ${last.page} was the statement's last`);
    if (report.page.last && pages.some((p) => p.page > report.page.number)) throw new MessageError(`${where} says it is the last, and page ${Math.max(...pages.map((p) => p.page))} came before it`);
    const row = this.pageRow(message, report, hash, currency);
    const all = [...pages, row].sort((a, b) => a.page - b.page);
    const complete = all.at(-1)!.last === 1 && all.every((p, i) => p.page === i + 1);
    const statement = complete ? this.statementOf(all, currency) : null;
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('banking_statement_pages').values(row).execute();
      for (const part of chunksOf(entryRowsOf(report, this.omnibusAccount, (report.page.number - 1) * PAGE_SPAN))) await trx.insertInto('banking_statement_entries').values(part).execute();
      if (statement !== null) await trx.insertInto('banking_statements').values(statement).execute();
    });
    return statement;
  }

  /** Whether this page of a statement kept whole (or assembled) is the one it was made of. */
  async samePage(statementId: string, page: number, hash: string): Promise<boolean> {
    const row = await this.db.selectFrom('banking_statement_pages').select('hash').where('statement_id', '=', statementId).where('page', '=', page).executeTakeFirst() as { hash: string } | undefined;
    return row?.hash === hash;
  }

  /** How many pages of a statement not complete yet are kept. */
  async waiting(statementId: string): Promise<number> {
    return (await this.pagesOf(statementId)).length;
  }

  private async pagesOf(statementId: string): Promise<StatementPageRow[]> {
    return this.db.selectFrom('banking_statement_pages').selectAll().where('statement_id', '=', statementId).orderBy('page').execute() as Promise<StatementPageRow[]>;
  }

  private pageRow(message: BankReport, report: AccountReport & { page: NonNullable<AccountReport['page']> }, hash: string, currency: string): StatementPageRow {
    const where = `${message.messageType} ${report.id} page ${report.page.number}`;
    const closing = closingOf(report);
    if (report.page.last && closing === undefined) throw new MessageError(`${where}, the last, states no closing (CLBD) or interim (ITBD) balance`);
    for (const balance of report.balances) if (balance.currency !== currency) throw new MessageError(`${where} states a balance in ${balance.currency}; the statement is in ${currency}`);
    const opening = openingOf(report);
    if (report.page.number === 1 && opening === undefined && closing === undefined) throw new MessageError(`${where}, the first, states neither an opening nor a closing balance`);
    return {
      statement_id: report.id, page: report.page.number, last: report.page.last ? 1 : 0, message_id: message.messageId, message_type: `${message.messageType}.${message.version}`, hash,
      from_ms: report.from === undefined ? null : timeOf(report.from, 'FrDtTm'), cutoff_ms: timeOf(report.to ?? report.createdAt ?? message.createdAt, 'the statement\'s cut-off'),
      opening_balance: opening === undefined ? null : signed(opening), closing_balance: closing === undefined ? null : signed(closing), entries: report.entries.length, received_at_ms: this.nowMs(),
    };
  }

  /** The statement its complete pages make (in page order). */
  private statementOf(pages: readonly StatementPageRow[], currency: string): StatementRow {
    const [first, last] = [pages[0]!, pages.at(-1)!];
    const types = new Set(pages.map((p) => p.message_type));
    if (types.size > 1) throw new MessageError(`statement ${first.statement_id}: its pages are of different messages (${[...types].join(', ')})`);
    return {
      statement_id: first.statement_id, message_id: first.message_id, message_type: first.message_type, hash: sha256Hex(pages.map((p) => p.hash).join('\n')),
      from_ms: first.from_ms, cutoff_ms: last.cutoff_ms, currency, opening_balance: first.opening_balance, closing_balance: last.closing_balance!,
      entries: pages.reduce((sum, p) => sum + p.entries, 0), received_at_ms: this.nowMs(), supply: null, credits_in_transit: null, payouts_in_transit: null, unexplained: null,
      breaks: null, reconciled_at_ms: null, attestation_id: null, attestation_problem: null,
    };
  }
}
