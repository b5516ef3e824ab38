/** What a statement of the omnibus account becomes in the module's tables: its balances as the bank states them, its booked entries. */
import { MessageError, type AccountReport, type Balance } from './iso20022/index.js';
import type { StatementEntryRow } from './tables.js';

/** A balance as the bank states it, signed (a debit balance is negative). */
export function signed(balance: Balance): string {
  return balance.creditDebit === 'debit' ? `-${balance.amount}` : balance.amount;
}

/** The closing balance a report states: CLBD, or for an intraday report the last interim one. */
export function closingOf(report: AccountReport): Balance | undefined {
  return report.balances.find((b) => b.type === 'CLBD') ?? report.balances.filter((b) => b.type === 'ITBD' || b.type === 'ITAV').at(-1);
}

export function openingOf(report: AccountReport): Balance | undefined {
  return report.balances.find((b) => b.type === 'OPBD' || b.type === 'PRCD');
}

export function timeOf(text: string | undefined, what: string): number {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  if (!Number.isFinite(ms)) throw new MessageError(`${what} "${text ?? ''}" is not a date and time`);
  return ms;
}

/** The booked entries of a report (of one page: numbered from `first`), as the statement keeps them. */
export function entryRowsOf(report: AccountReport, omnibusAccount: string, first = 0): StatementEntryRow[] {
  return report.entries.flatMap((entry, n) => entry.status !== 'BOOK' ? [] : [{
    statement_id: report.id, n: first + n, entry_key: (entry.accountServicerReference ?? entry.entryReference) === undefined ? null : `${omnibusAccount}/${entry.accountServicerReference ?? entry.entryReference}`,
    credit_debit: entry.reversal ? (entry.creditDebit === 'credit' ? 'debit' : 'credit') : entry.creditDebit, amount: entry.amount, booking_date: entry.bookingDate ?? null,
    end_to_end_id: entry.transactions[0]?.endToEndId ?? null, settled: 0,
  }]);
}
