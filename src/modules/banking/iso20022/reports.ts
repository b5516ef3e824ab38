import type { MessageKind } from './versions.js';
import { all, child, lazily, MessageError, required, text, texts, type XmlNode } from './xml.js';

/** The elements read one at a time (see `lazily`): a report's entries, a hundred thousand in a large statement. */
export const DEFERRED = new Set(['Ntry']);

/**
 * camt.052 (intraday report), camt.053 (statement) and camt.054 (debit/credit
 * notification) read into one shape: for each account reported on, its balances and its
 * entries, each entry with the transactions it books. Only what the banking module and an
 * operator reading it need; every amount a decimal string as the bank wrote it.
 */
export interface Party {
  readonly name?: string;
  /** An IBAN, or the bank's own account number (Othr/Id). */
  readonly account?: string;
}

export interface EntryTransaction {
  readonly endToEndId?: string;
  readonly instructionId?: string;
  readonly transactionId?: string;
  readonly uetr?: string;
  readonly accountServicerReference?: string;
  readonly amount?: string;
  readonly currency?: string;
  readonly debtor: Party;
  readonly creditor: Party;
  readonly remittance: readonly string[];
}

export interface Entry {
  readonly entryReference?: string;
  readonly accountServicerReference?: string;
  readonly amount: string;
  readonly currency: string;
  readonly creditDebit: 'credit' | 'debit';
  readonly reversal: boolean;
  /** BOOK, PDNG, INFO, … (a code in every version; a choice of code or proprietary from .06). */
  readonly status: string;
  readonly bookingDate?: string;
  readonly valueDate?: string;
  readonly transactions: readonly EntryTransaction[];
}

export interface Balance {
  /** OPBD, CLBD, ITBD, … */
  readonly type: string;
  readonly amount: string;
  readonly currency: string;
  readonly creditDebit: 'credit' | 'debit';
  readonly date?: string;
}

/** Which page of a report split over several messages this is (page 1 of 1 when it is whole). */
export interface Page {
  readonly number: number;
  readonly last: boolean;
}

export interface AccountReport {
  readonly id: string;
  /** The report's page, when the bank split it over several messages (StmtPgntn, RptPgntn or NtfctnPgntn; else the message's MsgPgntn). */
  readonly page?: Page;
  readonly createdAt?: string;
  readonly sequence?: string;
  /** The period the report covers (FrToDt), when the bank states it. */
  readonly from?: string;
  readonly to?: string;
  readonly account: { readonly id: string; readonly currency?: string };
  readonly balances: readonly Balance[];
  readonly entries: readonly Entry[];
}

export interface BankReport {
  readonly messageType: 'camt.052' | 'camt.053' | 'camt.054';
  readonly version: string;
  readonly messageId: string;
  readonly createdAt: string;
  readonly reports: readonly AccountReport[];
}

/** An ISO 20022 amount: digits, at most one point; never a float. */
const AMOUNT = /^\d{1,18}(\.\d{1,5})?$/;
const CURRENCY = /^[A-Z]{3}$/;

function amountOf(node: XmlNode | undefined, where: string): { amount: string; currency: string } {
  const amount = required(node, where, 'Amt');
  const currency = text(node, 'Amt', '@Ccy');
  if (!AMOUNT.test(amount)) throw new MessageError(`${where}: amount "${amount}" is not a decimal amount`);
  if (currency === undefined || !CURRENCY.test(currency)) throw new MessageError(`${where}: amount ${amount} has no ISO 4217 currency (Ccy)`);
  return { amount, currency };
}

function creditDebitOf(node: XmlNode | undefined, where: string): 'credit' | 'debit' {
  const indicator = required(node, where, 'CdtDbtInd');
  if (indicator === 'CRDT') return 'credit';
  if (indicator === 'DBIT') return 'debit';
  throw new MessageError(`${where}: CdtDbtInd "${indicator}" is neither CRDT nor DBIT`);
}

/** An account's identifier: its IBAN, or the bank's own number for it. */
export function accountId(account: XmlNode | undefined): string | undefined {
  return text(account, 'Id', 'IBAN') ?? text(account, 'Id', 'Othr', 'Id');
}

/** A date that may be a day or a moment (Dt or DtTm). */
function dateOf(node: XmlNode | undefined): string | undefined {
  return text(node, 'Dt') ?? text(node, 'DtTm');
}

/** A party, as versions up to .07 name it (Nm under the party) and from .08 (under Pty). */
function partyOf(parties: XmlNode | undefined, role: 'Dbtr' | 'Cdtr'): Party {
  const party = child(parties, role);
  const name = text(party, 'Pty', 'Nm') ?? text(party, 'Nm');
  const account = accountId(child(parties, `${role}Acct`));
  const found: Writable<Party> = {};
  put(found, 'name', name);
  put(found, 'account', account);
  return found;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Sets an optional field when the message carries it. Fields are set one by one, in the
 * order they are listed, on an object of one shape per combination of fields present: a
 * statement's hundred thousand entries make no object per optional field (as spreading
 * `{ [key]: value }` objects did) and keep their keys in the same order.
 */
function put<T, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function transactionOf(tx: XmlNode): EntryTransaction {
  const refs = child(tx, 'Refs');
  const parties = child(tx, 'RltdPties');
  const amount = text(tx, 'Amt') ?? text(tx, 'AmtDtls', 'TxAmt', 'Amt');
  const currency = text(tx, 'Amt', '@Ccy') ?? text(tx, 'AmtDtls', 'TxAmt', 'Amt', '@Ccy');
  const read = {} as Writable<EntryTransaction>;
  put(read, 'endToEndId', text(refs, 'EndToEndId'));
  put(read, 'instructionId', text(refs, 'InstrId'));
  put(read, 'transactionId', text(refs, 'TxId'));
  put(read, 'uetr', text(refs, 'UETR'));
  put(read, 'accountServicerReference', text(refs, 'AcctSvcrRef'));
  put(read, 'amount', amount);
  put(read, 'currency', currency);
  read.debtor = partyOf(parties, 'Dbtr');
  read.creditor = partyOf(parties, 'Cdtr');
  read.remittance = texts(child(tx, 'RmtInf'), 'Ustrd');
  return read;
}

function entryOf(entry: XmlNode, where: string): Entry {
  const status = text(entry, 'Sts') ?? text(entry, 'Sts', 'Cd') ?? text(entry, 'Sts', 'Prtry');
  if (status === undefined) throw new MessageError(`${where}: Sts is missing`);
  const read = {} as Writable<Entry>;
  put(read, 'entryReference', text(entry, 'NtryRef'));
  put(read, 'accountServicerReference', text(entry, 'AcctSvcrRef'));
  const { amount, currency } = amountOf(entry, where);
  read.amount = amount;
  read.currency = currency;
  read.creditDebit = creditDebitOf(entry, where);
  read.reversal = text(entry, 'RvslInd') === 'true';
  read.status = status;
  put(read, 'bookingDate', dateOf(child(entry, 'BookgDt')));
  put(read, 'valueDate', dateOf(child(entry, 'ValDt')));
  const transactions: EntryTransaction[] = [];
  for (const details of all(entry, 'NtryDtls')) for (const tx of all(details, 'TxDtls')) transactions.push(transactionOf(tx));
  read.transactions = transactions;
  return read;
}

function balanceOf(balance: XmlNode, where: string): Balance {
  const type = text(balance, 'Tp', 'CdOrPrtry', 'Cd') ?? text(balance, 'Tp', 'CdOrPrtry', 'Prtry');
  if (type === undefined) throw new MessageError(`${where}: Tp/CdOrPrtry is missing`);
  const read: Writable<Balance> = { type, ...amountOf(balance, where), creditDebit: creditDebitOf(balance, where) };
  put(read, 'date', dateOf(child(balance, 'Dt')));
  return read;
}

const PAGINATION = { 'camt.052': 'RptPgntn', 'camt.053': 'StmtPgntn', 'camt.054': 'NtfctnPgntn' } as const;

/** A Pagination1: a page number (Max5NumericText) and whether it is the last. */
function pageOf(pagination: XmlNode | undefined, where: string): Page | undefined {
  if (pagination === undefined) return undefined;
  const number = required(pagination, where, 'PgNb');
  const last = required(pagination, where, 'LastPgInd');
  if (!/^\d{1,5}$/.test(number) || Number(number) < 1) throw new MessageError(`${where}: PgNb "${number}" is not a page number`);
  if (!['true', 'false', '1', '0'].includes(last)) throw new MessageError(`${where}: LastPgInd "${last}" is not true or false`);
  return { number: Number(number), last: last === 'true' || last === '1' };
}

function accountReportOf(report: XmlNode, where: string, messagePage: Page | undefined, family: BankReport['messageType']): AccountReport {
  const account = child(report, 'Acct');
  const id = accountId(account);
  if (id === undefined) throw new MessageError(`${where}: Acct/Id (IBAN or Othr/Id) is missing`);
  const currency = text(account, 'Ccy');
  const read = { id: required(report, where, 'Id') } as Writable<AccountReport>;
  put(read, 'page', pageOf(child(report, PAGINATION[family]), `${where}/${PAGINATION[family]}`) ?? messagePage);
  put(read, 'createdAt', text(report, 'CreDtTm'));
  put(read, 'sequence', text(report, 'ElctrncSeqNb'));
  put(read, 'from', text(report, 'FrToDt', 'FrDtTm'));
  put(read, 'to', text(report, 'FrToDt', 'ToDtTm'));
  read.account = { id, ...(currency !== undefined && { currency }) };
  read.balances = all(report, 'Bal').map((balance, i) => balanceOf(balance, `${where}/Bal[${i}]`));
  read.entries = entriesOf(report, where);
  return read;
}

function entriesOf(report: XmlNode, where: string): Entry[] {
  const entries: Entry[] = [];
  for (const entry of lazily(report, 'Ntry')) entries.push(entryOf(entry, `${where}/Ntry[${entries.length}]`));
  return entries;
}

const REPORT_ELEMENT = { 'camt.052': 'Rpt', 'camt.053': 'Stmt', 'camt.054': 'Ntfctn' } as const;

export function readBankReport(kind: MessageKind & { family: BankReport['messageType'] }, body: XmlNode): BankReport {
  const header = child(body, 'GrpHdr');
  const element = REPORT_ELEMENT[kind.family];
  const reports = all(body, element);
  if (reports.length === 0) throw new MessageError(`${kind.family}: no ${element}`);
  // The message's own pagination pages its report when it carries one (a bank that splits a statement over messages).
  const messagePage = reports.length === 1 ? pageOf(child(header, 'MsgPgntn'), 'GrpHdr/MsgPgntn') : undefined;
  return {
    messageType: kind.family, version: kind.version,
    messageId: required(header, 'GrpHdr', 'MsgId'), createdAt: required(header, 'GrpHdr', 'CreDtTm'),
    reports: reports.map((report, i) => accountReportOf(report, `${element}[${i}]`, messagePage, kind.family)),
  };
}
