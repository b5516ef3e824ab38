import { InvalidArgumentError } from 'commander';
import { isAmountText } from '../core/amount.js';
import { parseQueryTime } from '../node/query-time.js';

/**
 * Parsers for option values: each refuses what it cannot read exactly, with what it
 * expected, and commander turns the refusal into a usage error (exit 2).
 */

export function amountArg(value: string): string {
  if (/[,'’ _]/.test(value)) throw new InvalidArgumentError('write amounts without thousands separators, with a point for decimals: 1000000.00 (in much of Europe "1,000.00" means one)');
  if (!isAmountText(value)) throw new InvalidArgumentError('an amount is a decimal such as 1000000.00 (no sign, at most 18 decimals)');
  return value;
}

export function integerArg(min: number, max: number) {
  return (value: string): number => {
    if (!/^(0|[1-9][0-9]*)$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

export function portArg(value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError('a port from 0 (any free one) to 65535');
  return Number(value);
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "30m", "1h", "2d" → milliseconds. */
export function durationArg(value: string): number {
  const match = /^([1-9][0-9]{0,6})([smhd])$/.exec(value);
  if (match === null) throw new InvalidArgumentError('a duration such as 90s, 30m, 1h or 365d');
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}

/** A date (2026-11-21, UTC) or an ISO 8601 date-time, passed on to the API as written. */
export function dateArg(value: string): string {
  if (!value.includes('-') || parseQueryTime(value) === null) throw new InvalidArgumentError('a date such as 2026-11-21 (UTC) or a date-time such as 2026-11-21T14:30:00Z');
  return value;
}
