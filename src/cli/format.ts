/** Plain-text output for people; scripts pass --json instead. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (rightAligned.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Groups the whole part of a decimal string in thousands: "1000000.00" → "1,000,000.00". */
export function groupDigits(amount: string): string {
  const [whole = '', fraction] = amount.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d" → milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(text);
  return match === null ? null : Number(match[1]) * UNIT_MS[match[2]!]!;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
