import { parseAmount } from '../../core/index.js';

/**
 * Reserve figures are kept in ten-thousandths of a currency unit (custodians quote values
 * to four places) and FX rates to eight: bigint throughout, so a register of any size adds
 * up exactly. Shares and ratios are in basis points.
 */
export const VALUE_SCALE = 4;
export const RATE_SCALE = 8;
const ONE_VALUE = 10n ** BigInt(VALUE_SCALE);
const ONE_RATE = 10n ** BigInt(RATE_SCALE);

/** A decimal string at the value scale, or null when it is not one. */
export function valueOf(text: string): bigint | null {
  const parsed = parseAmount(text, VALUE_SCALE);
  return parsed.ok ? parsed.minor : null;
}

export function rateOf(text: string): bigint | null {
  const parsed = parseAmount(text, RATE_SCALE);
  return parsed.ok && parsed.minor > 0n ? parsed.minor : null;
}

/** A value in another currency, at `rate` units of the coin's currency per unit. */
export function converted(value: bigint, rate: bigint): bigint {
  return (value * rate) / ONE_RATE;
}

/** An amount of the asset (`decimals` places) at the value scale, and back (rounded down: reserves are never overstated). */
export function fromAssetMinor(minor: bigint, decimals: number): bigint {
  return decimals <= VALUE_SCALE ? minor * 10n ** BigInt(VALUE_SCALE - decimals) : minor / 10n ** BigInt(decimals - VALUE_SCALE);
}

export function toAssetMinor(value: bigint, decimals: number): bigint {
  return decimals <= VALUE_SCALE ? value / 10n ** BigInt(VALUE_SCALE - decimals) : value * 10n ** BigInt(decimals - VALUE_SCALE);
}

/** `part` of `whole` in basis points (rounded down); a share of nothing is 0, a ratio over nothing is unbounded (null). */
export function bp(part: bigint, whole: bigint): bigint | null {
  return whole === 0n ? null : (part * 10_000n) / whole;
}

export function percent(basisPoints: bigint | null): string {
  if (basisPoints === null) return '∞';
  const sign = basisPoints < 0n ? '-' : '';
  const abs = basisPoints < 0n ? -basisPoints : basisPoints;
  return `${sign}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}%`;
}

/** A value as a decimal string with two places (rounded down), for reports. */
export function money(value: bigint): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const cents = abs / 100n;
  return `${sign}${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

/** A value in major units as a JavaScript number: for the solver and charts only, never for a balance. */
export function approximate(value: bigint): number {
  return Number(value) / Number(ONE_VALUE);
}
