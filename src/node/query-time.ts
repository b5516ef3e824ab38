/**
 * Times as people write them in queries: milliseconds since the epoch, a date (UTC), or
 * an ISO 8601 date-time. A day that does not exist (February 31st) is refused rather than
 * rolled over into the next month, as JavaScript's own parser would.
 */

const DAY_MS = 86_400_000;
const PATTERN = /^(?:([0-9]{1,16})|([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,3}))?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?)$/;

export const QUERY_TIME_PATTERN = PATTERN.source;

/** Whether the day exists (no February 31st). */
export function realDate(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * The time in milliseconds, or null when `text` is not one. A bare date means its start
 * (UTC), or its last millisecond with `endOfDay` (the end of a range is inclusive).
 */
export function parseQueryTime(text: string, endOfDay = false): number | null {
  const match = PATTERN.exec(text);
  if (match === null) return null;
  const [, epoch, year, month, day, hour, minute, second = '0', millis = '0', zone] = match;
  if (epoch !== undefined) return Number(epoch);
  if (!realDate(Number(year), Number(month), Number(day))) return null;
  const dayStart = Date.UTC(Number(year), Number(month) - 1, Number(day));
  if (hour === undefined) return dayStart + (endOfDay ? DAY_MS - 1 : 0);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return null;
  const offsetMinutes = zone === undefined || zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return dayStart + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + Number(millis.padEnd(3, '0')) - offsetMinutes * 60_000;
}
