/**
 * Money is an integer count of an asset's minor units (`bigint`), never a float.
 * On the wire and in signed transactions it is a decimal string in major units
 * ("1000000.00"), so a person can read what they sign.
 */

/** The largest balance or supply the ledger holds: the signed 128-bit ceiling. */
export const AMOUNT_MAX_MINOR = (1n << 127n) - 1n;
/** The most decimal places an asset may declare. */
export const DECIMALS_MAX = 18;

const DECIMAL_PATTERN = /^(0|[1-9][0-9]{0,38})(?:\.([0-9]{1,18}))?$/;

/** Whether `text` is written as an amount (digits, at most one point, no sign, no separators), whatever its asset. */
export function isAmountText(text: string): boolean {
  return DECIMAL_PATTERN.test(text);
}

export type AmountParse =
  | { ok: true; minor: bigint }
  | { ok: false; reason: 'format' | 'precision' | 'overflow' };

/**
 * Parses a non-negative decimal string into minor units of an asset with `decimals`
 * places. An amount beyond the ceiling is `overflow` before it is anything else: no
 * choice of decimals could make it valid, so it is refused as such, never as imprecise.
 */
export function parseAmount(text: string, decimals: number): AmountParse {
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) return { ok: false, reason: 'format' };
  const scale = 10n ** BigInt(decimals);
  const whole = BigInt(match[1] ?? '0');
  if (whole * scale > AMOUNT_MAX_MINOR) return { ok: false, reason: 'overflow' };
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return { ok: false, reason: 'precision' };
  const minor = whole * scale + (decimals === 0 ? 0n : BigInt(fraction.padEnd(decimals, '0')));
  if (minor > AMOUNT_MAX_MINOR) return { ok: false, reason: 'overflow' };
  return { ok: true, minor };
}

/** Formats minor units as a decimal string with exactly `decimals` places. */
export function formatAmount(minor: bigint, decimals: number): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = digits.slice(digits.length - decimals);
  const sign = negative ? '-' : '';
  return decimals === 0 ? sign + whole : `${sign}${whole}.${fraction}`;
}

/** Adds two amounts, or returns null when the sum would pass the ledger's ceiling. */
export function addChecked(a: bigint, b: bigint): bigint | null {
  const sum = a + b;
  return sum > AMOUNT_MAX_MINOR ? null : sum;
}
