import { parse } from 'csv-parse/sync';
import { parseQueryTime } from '../../node/query-time.js';
import { rateOf, valueOf } from './money.js';

/** The classes of reserve asset a custodian position file may carry. */
export const HOLDING_CLASSES = ['cash', 'deposit', 'tbill', 'commercial_paper', 'sovereign_bond', 'mmf', 'repo', 'corporate_bond', 'other'] as const;
export type HoldingClass = (typeof HOLDING_CLASSES)[number];

export const POSITION_COLUMNS = ['instrument_id', 'class', 'issuer', 'isin', 'currency', 'nominal', 'market_value', 'maturity_date', 'rating', 'custodian', 'custodian_jurisdiction'] as const;

/** One reserve holding as the custodian reports it; values at the value scale, in the holding's own currency. */
export interface Holding {
  readonly instrumentId: string;
  readonly class: HoldingClass;
  readonly issuer: string;
  readonly isin: string | null;
  readonly currency: string;
  readonly nominal: bigint;
  readonly marketValue: bigint;
  /** ISO date, or null for cash and deposits at call. */
  readonly maturityDate: string | null;
  readonly rating: string | null;
  readonly custodian: string;
  readonly custodianJurisdiction: string;
  /** `reserve` backs the coin; `risk_reserve` is the regulator's 1% fund, kept apart from the pool. */
  readonly purpose: 'reserve' | 'risk_reserve';
  /** Where a digital holding is kept: `hot` (multi-signature, for same-day redemptions) or `cold`; null for the rest. */
  readonly custody: 'hot' | 'cold' | null;
}

/** A bad cell: its row (1 is the header) and column, and why. */
export interface RowProblem {
  readonly row: number;
  readonly column: string;
  readonly problem: string;
}

export class ImportError extends Error {
  constructor(readonly problems: readonly RowProblem[]) {
    super(`${problems.length} bad cell${problems.length === 1 ? '' : 's'}, nothing imported: ${problems.slice(0, 20).map((p) => `row ${p.row} ${p.column}: ${p.problem}`).join('; ')}${problems.length > 20 ? '; …' : ''}`);
  }
}

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;
const CURRENCY = /^[A-Z]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** ISO 6166 check digit: letters to numbers, then Luhn over the digits. */
function isinValid(isin: string): boolean {
  if (!ISIN.test(isin)) return false;
  const digits = [...isin].map((c) => (c >= 'A' ? (c.charCodeAt(0) - 55).toString() : c)).join('');
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d *= 2;
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

function dateValid(text: string): boolean {
  return DATE.test(text) && parseQueryTime(text) !== null;
}

type Row = Record<string, string>;

function records(csv: string, required: readonly string[]): Row[] {
  let rows: Row[];
  try {
    rows = parse(csv, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Row[];
  } catch (error) {
    throw new ImportError([{ row: Number((error as { lines?: number }).lines ?? 0), column: '*', problem: (error as Error).message }]);
  }
  const header = rows.length === 0 ? parse(csv, { to_line: 1, bom: true }) as string[][] : [Object.keys(rows[0]!)];
  const present = new Set((header[0] ?? []).map((h) => h.trim().toLowerCase()));
  const missing = required.filter((column) => !present.has(column));
  if (missing.length > 0) throw new ImportError(missing.map((column) => ({ row: 1, column, problem: 'missing column' })));
  return rows;
}

/** Reads a custodian position file: every row checked, and any bad cell refuses the whole file. */
export function readPositions(csv: string): Holding[] {
  const problems: RowProblem[] = [];
  const holdings: Holding[] = [];
  const seen = new Map<string, number>();
  records(csv, POSITION_COLUMNS).forEach((row, index) => {
    const line = index + 2;
    const bad = (column: string, problem: string) => problems.push({ row: line, column, problem });
    const text = (column: string) => row[column] ?? '';
    const id = text('instrument_id');
    if (id === '') bad('instrument_id', 'empty');
    else if (seen.has(id)) bad('instrument_id', `"${id}" is also on row ${seen.get(id)}`);
    else seen.set(id, line);
    const kind = text('class') as HoldingClass;
    if (!HOLDING_CLASSES.includes(kind)) bad('class', `"${text('class')}" is not one of ${HOLDING_CLASSES.join(', ')}`);
    if (text('issuer') === '') bad('issuer', 'empty');
    const isin = text('isin');
    if (isin !== '' && !isinValid(isin)) bad('isin', `"${isin}" is not an ISIN (ISO 6166, check digit included)`);
    if (!CURRENCY.test(text('currency'))) bad('currency', `"${text('currency')}" is not an ISO 4217 code`);
    const nominal = valueOf(text('nominal'));
    if (nominal === null) bad('nominal', `"${text('nominal')}" is not a decimal amount (at most 4 places)`);
    const value = valueOf(text('market_value'));
    if (value === null) bad('market_value', `"${text('market_value')}" is not a decimal amount (at most 4 places)`);
    const maturity = text('maturity_date');
    if (maturity !== '' && !dateValid(maturity)) bad('maturity_date', `"${maturity}" is not a date (YYYY-MM-DD)`);
    if (maturity === '' && !['cash', 'deposit', 'mmf', 'other'].includes(kind)) bad('maturity_date', `a ${kind} has a maturity`);
    if (text('custodian') === '') bad('custodian', 'empty: reserves sit in custody accounts at licensed banks');
    if (!COUNTRY.test(text('custodian_jurisdiction'))) bad('custodian_jurisdiction', `"${text('custodian_jurisdiction')}" is not an ISO 3166 alpha-2 code`);
    const purpose = text('purpose') === '' ? 'reserve' : text('purpose');
    if (purpose !== 'reserve' && purpose !== 'risk_reserve') bad('purpose', `"${purpose}" is neither reserve nor risk_reserve`);
    const custody = text('custody') === '' ? null : text('custody');
    if (custody !== null && custody !== 'hot' && custody !== 'cold') bad('custody', `"${custody}" is neither hot nor cold`);
    if (nominal === null || value === null) return;
    holdings.push({
      instrumentId: id, class: kind, issuer: text('issuer'), isin: isin === '' ? null : isin, currency: text('currency'), nominal, marketValue: value,
      maturityDate: maturity === '' ? null : maturity, rating: text('rating') === '' ? null : text('rating').toUpperCase(), custodian: text('custodian'),
      custodianJurisdiction: text('custodian_jurisdiction'), purpose: purpose as Holding['purpose'], custody: custody as Holding['custody'],
    });
  });
  if (problems.length > 0) throw new ImportError(problems);
  return holdings;
}

/** A price file: `instrument_id,market_value`, for instruments on the register. */
export function readPrices(csv: string, known: ReadonlySet<string>): Map<string, bigint> {
  const problems: RowProblem[] = [];
  const prices = new Map<string, bigint>();
  records(csv, ['instrument_id', 'market_value']).forEach((row, index) => {
    const id = row['instrument_id'] ?? '';
    const value = valueOf(row['market_value'] ?? '');
    if (!known.has(id)) problems.push({ row: index + 2, column: 'instrument_id', problem: `"${id}" is not on the register` });
    if (value === null) problems.push({ row: index + 2, column: 'market_value', problem: `"${row['market_value'] ?? ''}" is not a decimal amount (at most 4 places)` });
    else prices.set(id, value);
  });
  if (problems.length > 0) throw new ImportError(problems);
  return prices;
}

/** An FX file: `currency,rate`, the coin's currency per unit of each other currency. */
export function readRates(csv: string): Map<string, bigint> {
  const problems: RowProblem[] = [];
  const rates = new Map<string, bigint>();
  records(csv, ['currency', 'rate']).forEach((row, index) => {
    const currency = row['currency'] ?? '';
    const rate = rateOf(row['rate'] ?? '');
    if (!CURRENCY.test(currency)) problems.push({ row: index + 2, column: 'currency', problem: `"${currency}" is not an ISO 4217 code` });
    if (rate === null) problems.push({ row: index + 2, column: 'rate', problem: `"${row['rate'] ?? ''}" is not a positive rate (at most 8 places)` });
    else rates.set(currency, rate);
  });
  if (problems.length > 0) throw new ImportError(problems);
  return rates;
}
