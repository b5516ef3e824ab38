/** Plain-text output for people; scripts pass --json instead. */

export interface TableOptions {
  /** Columns whose cells are aligned right (amounts, counts). */
  right?: ReadonlySet<number>;
  /** The widest a column may be; longer cells end with "…". Default 32 for every column. */
  maxWidths?: Readonly<Record<number, number>>;
}

const COLUMN_WIDTH_MAX = 32;

function clip(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, width - 1)}…`;
}

export function table(headers: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
  const caps = headers.map((_, column) => options.maxWidths?.[column] ?? COLUMN_WIDTH_MAX);
  const clipped = rows.map((row) => headers.map((_, column) => clip(row[column] ?? '', caps[column]!)));
  const widths = headers.map((header, column) => Math.max(header.length, ...clipped.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (options.right?.has(column) === true ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...clipped.map(line)].join('\n');
}

/** Groups the whole part of a decimal string in thousands: "-1000000.00" → "-1,000,000.00". */
export function groupDigits(amount: string): string {
  const [whole = '', fraction] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/** A signed change: "+1,000.00", "-250.00", or "" for none. */
export function signedChange(amount: string): string {
  const unsigned = amount.replace(/^[+-]/, '');
  if (/^0(\.0*)?$/.test(unsigned)) return '';
  return `${amount.startsWith('-') ? '-' : '+'}${groupDigits(unsigned)}`;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** To the second, in UTC, for tables: "2026-11-21 14:30:05". */
export function shortTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}
