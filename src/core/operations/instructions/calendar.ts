import { Cron } from 'croner';
import * as rruleModule from 'rrule';

/**
 * When a standing instruction's schedule falls: one RFC 5545 RRULE or one cron pattern,
 * read in a named time zone (UTC by default). Pure functions of the rule, the zone and
 * an anchor (the block time the instruction was made at), so every node computes the
 * same dates. The zone rules come from the ICU data in Node.js: the nodes of a network
 * run the same Node.js version, which the chain's version pins.
 */
export interface Schedule {
  readonly rrule?: string;
  readonly cron?: string;
  readonly timeZone: string;
}

/** Runs closer together than this are refused: a standing instruction is not a loop. */
export const RUN_INTERVAL_MIN_MS = 15 * 60_000;

/** How many of the next dates the interval is checked on. */
const INTERVAL_SAMPLE = 8;

/**
 * The longest a schedule may go between dates: a date further off than this is no date
 * (the schedule has ended). It bounds every walk: rrule steps one period at a time, and a
 * rule that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would otherwise walk to
 * the year 9999 on the sequencer's thread. Yearly rules fit; a 29 February one does not.
 */
export const RUN_GAP_MAX_MS = 400 * 86_400_000;

interface Compiled {
  next(afterMs: number): number | null;
  /** The dates in (fromMs, toMs], at most `max`, in one walk. */
  dates(fromMs: number, toMs: number, max: number): number[];
}

// rrule gives Node its CommonJS build (the classes under `default`) and bundlers its ES modules (named): take RRule from either.
const { RRule } = 'RRule' in rruleModule ? rruleModule : (rruleModule as unknown as { default: typeof rruleModule }).default;

/** Days by (zone, quarter hour): every zone's offset is a whole number of quarter hours, so a quarter hour lies in one day. */
const DAYS = new Map<string, number>();
const QUARTER_HOUR_MS = 900_000;

/** 00:00 of the day `ms` falls on in `timeZone`, as a time whose UTC fields read that wall time (the form rrule takes a DTSTART in). */
function wallDay(ms: number, timeZone: string): number {
  const key = `${timeZone}\n${Math.floor(ms / QUARTER_HOUR_MS)}`;
  let day = DAYS.get(key);
  if (day === undefined) {
    day = readWallDay(ms, timeZone);
    if (DAYS.size >= COMPILED_MAX) DAYS.clear();
    DAYS.set(key, day);
  }
  return day;
}

function readWallDay(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
  return Date.UTC(field('year'), field('month') - 1, field('day'));
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = FORMATTERS.get(timeZone);
  if (found === undefined) {
    found = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    FORMATTERS.set(timeZone, found);
  }
  return found;
}

function knownZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The rule's text without an "RRULE:" prefix, or why it cannot be used. */
function ruleText(text: string): { ok: true; text: string } | { ok: false; why: string } {
  const body = text.replace(/^RRULE:/i, '');
  if (/[\r\n]|DTSTART/i.test(body)) return { ok: false, why: 'give one RRULE line without DTSTART: the instruction starts when it is made' };
  if (/(^|;)COUNT=/i.test(body)) return { ok: false, why: 'COUNT is not supported: end the schedule with UNTIL' };
  return { ok: true, text: body };
}

const list = (value: unknown): unknown[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);
const inRange = (values: unknown[], min: number, max: number) => values.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max && v !== 0);

/** Days in each month at most (February in a leap year). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Why the rule is outside the subset Depositum reads, or null. rrule walks period by period
 * until it finds a date, up to the year 9999: a rule that matches nothing
 * (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) would hold the sequencer for seconds. Every rule of
 * this subset has dates (or ends by UNTIL), so every walk is short.
 */
function unsupported(options: Record<string, unknown>): string | null {
  const known = new Set(['freq', 'interval', 'until', 'wkst', 'byweekday', 'bymonthday', 'bymonth', 'bysetpos', 'byhour', 'byminute', 'bysecond']);
  const other = Object.keys(options).find((key) => options[key] !== undefined && options[key] !== null && !known.has(key));
  if (other !== undefined) return `${other.toUpperCase()} is not supported: use FREQ, INTERVAL, UNTIL, WKST, BYDAY, BYMONTHDAY, BYMONTH, BYSETPOS (monthly), BYHOUR, BYMINUTE, BYSECOND`;
  const freq = options['freq'] as number;
  // Read from 00:00 of a day, an intraday FREQ would lose its phase from one day to the next.
  if (freq > RRule.DAILY) return 'FREQ is DAILY or longer: for several runs a day give BYHOUR (FREQ=DAILY;BYHOUR=9,13,17) or a cron pattern';
  if (!inRange(list(options['interval']), 1, 99)) return 'INTERVAL is from 1 to 99';
  if (!inRange(list(options['byhour']).map((h) => (h as number) + 1), 1, 24) || !inRange(list(options['byminute']).map((m) => (m as number) + 1), 1, 60) || !inRange(list(options['bysecond']).map((x) => (x as number) + 1), 1, 60)) return 'BYHOUR is 0 to 23, BYMINUTE and BYSECOND 0 to 59';
  const months = list(options['bymonth']);
  if (!inRange(months, 1, 12)) return 'BYMONTH is 1 to 12';
  const longest = months.length === 0 ? 31 : Math.max(...months.map((m) => MONTH_DAYS[(m as number) - 1]!));
  if (!inRange(list(options['bymonthday']).map((d) => Math.abs(d as number)), 1, longest)) return `BYMONTHDAY is 1 to ${longest} (or -1 to -${longest}) for the months it names`;
  const ordinals = list(options['byweekday']).map((day) => (day as { n?: number }).n).filter((n) => n !== undefined && n !== null);
  // Each listed weekday falls 4 or 5 times a month, and any weekday meets any day of the month: so these always have dates.
  const monthDays = list(options['bymonthday']).length > 0;
  if (ordinals.length > 0 && (freq !== RRule.MONTHLY || monthDays || !inRange(ordinals.map((n) => Math.abs(n)), 1, 4))) return 'a numbered BYDAY (1MO, -1FR) is for FREQ=MONTHLY without BYMONTHDAY, from 1 to 4 or -1 to -4';
  const positions = list(options['bysetpos']);
  if (positions.length > 0 && (freq !== RRule.MONTHLY || list(options['byweekday']).length === 0 || ordinals.length > 0 || monthDays || !inRange(positions.map((n) => Math.abs(n as number)), 1, 4))) return 'BYSETPOS is for FREQ=MONTHLY with plain weekdays in BYDAY and no BYMONTHDAY, from 1 to 4 or -1 to -4';
  return null;
}

function compileRrule(text: string, timeZone: string, dayMs: number): Compiled {
  const options = RRule.parseString(text);
  if (options.freq === undefined || options.freq === null) throw new Error('the rule names no FREQ');
  const why = unsupported(options as Record<string, unknown>);
  if (why !== null) throw new Error(why);
  // A floating rule, walked in wall-clock time (UTC fields read the zone's wall time): rrule's
  // own time-zone path formats every candidate date with toLocaleString, 30 to 50 ms for one
  // instruction's next dates on the sequencer's thread. Only the dates found move to the zone.
  const rule = new RRule({ ...options, dtstart: new Date(dayMs) });
  const dates = (fromMs: number, toMs: number, max: number): number[] => {
    const found: number[] = [];
    if (max <= 0) return found;
    // A day's margin each side covers any offset; the instants decide what is in (fromMs, toMs].
    const wallFrom = new Date(fromMs + offsetAt(fromMs, timeZone) - DAY_MS);
    const wallTo = new Date(toMs + offsetAt(toMs, timeZone) + DAY_MS);
    rule.between(wallFrom, wallTo, true, (date) => {
      const at = instantOf(date.getTime(), timeZone);
      if (at > fromMs && at <= toMs) found.push(at);
      return found.length < max;
    });
    return found;
  };
  return {
    next: (afterMs) => dates(afterMs, afterMs + RUN_GAP_MAX_MS, 1)[0] ?? null,
    dates,
  };
}

const DAY_MS = 86_400_000;

/** The zone's wall time at an instant, as a time whose UTC fields read it; by quarter hour, as offsets change on quarter hours. */
const WALLS = new Map<string, number>();

/** How far the zone's wall clock is ahead of UTC at `ms`. */
function offsetAt(ms: number, timeZone: string): number {
  const quarter = Math.floor(ms / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const key = `${timeZone}\n${quarter}`;
  let offset = WALLS.get(key);
  if (offset === undefined) {
    const parts = formatter(timeZone).formatToParts(new Date(quarter));
    const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value);
    offset = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second')) - quarter;
    if (WALLS.size >= COMPILED_MAX) WALLS.clear();
    WALLS.set(key, offset);
  }
  return offset;
}

/**
 * The instant a wall time of the zone names. In a gap (clocks going forward) it is the
 * wall time read with the offset before the change, which lands after the gap, as a clock
 * would show it; in an overlap (clocks going back), the first of the two.
 */
function instantOf(wallMs: number, timeZone: string): number {
  const before = wallMs - offsetAt(wallMs - DAY_MS, timeZone);
  const after = wallMs - offsetAt(wallMs + DAY_MS, timeZone);
  if (before === after) return before;
  // Around a change: the candidate whose own offset reads back the wall time, the earlier if both do.
  const reads = (at: number) => at + offsetAt(at, timeZone) === wallMs;
  if (reads(Math.min(before, after))) return Math.min(before, after);
  if (reads(Math.max(before, after))) return Math.max(before, after);
  return before;
}

function compileCron(pattern: string, timeZone: string): Compiled {
  if (pattern.trim().split(/\s+/).length !== 5) throw new Error('a cron pattern has five fields: minute hour day-of-month month day-of-week');
  const job = new Cron(pattern, { timezone: timeZone, paused: true });
  return {
    next: (afterMs) => {
      const at = job.nextRun(new Date(afterMs))?.getTime() ?? null;
      return at === null || at > afterMs + RUN_GAP_MAX_MS ? null : at;
    },
    dates: (fromMs, toMs, max) => job.nextRuns(max, new Date(fromMs)).map((date) => date.getTime()).filter((at) => at <= toMs),
  };
}

/** Compiled rules by (rule, zone, anchor day): the same inputs always compile to the same rule, so caching cannot change an answer. */
const COMPILED = new Map<string, Compiled>();
const COMPILED_MAX = 10_000;

/**
 * An RRULE is read from DTSTART = 00:00, in its zone, of the anchor's day: the day it was
 * made, then the day of the date that just fell due (an occurrence, so the rule's phase,
 * weekday and day of month are the same from there). rrule walks from DTSTART, so this
 * keeps each step short however old the instruction; instructions due on one day share
 * one compiled rule. A cron pattern has no start.
 */
function compiled(schedule: Schedule, anchorMs: number): Compiled {
  const dayMs = schedule.rrule === undefined ? 0 : wallDay(anchorMs, schedule.timeZone);
  const key = `${schedule.rrule ?? ''}\n${schedule.cron ?? ''}\n${schedule.timeZone}\n${dayMs}`;
  let found = COMPILED.get(key);
  if (found === undefined) {
    const text = schedule.rrule === undefined ? null : ruleText(schedule.rrule);
    if (text !== null && !text.ok) throw new Error(text.why);
    found = text !== null ? compileRrule(text.text, schedule.timeZone, dayMs) : compileCron(schedule.cron ?? '', schedule.timeZone);
    if (COMPILED.size >= COMPILED_MAX) COMPILED.clear();
    COMPILED.set(key, found);
  }
  return found;
}

/** Why the schedule cannot be used from `anchorMs` on, or null. */
export function scheduleProblem(schedule: Schedule, anchorMs: number): string | null {
  if ((schedule.rrule === undefined) === (schedule.cron === undefined)) return 'give either an rrule or a cron pattern';
  if (!knownZone(schedule.timeZone)) return `unknown time zone ${JSON.stringify(schedule.timeZone)}`;
  let rule: Compiled;
  try {
    rule = compiled(schedule, anchorMs);
  } catch (error) {
    return `${schedule.rrule !== undefined ? 'RRULE' : 'cron pattern'} not understood: ${(error as Error).message}`;
  }
  const dates = nextDates(rule, anchorMs, INTERVAL_SAMPLE);
  if (dates.length === 0) return 'the schedule has no date in the next 400 days';
  // Only UNTIL ends a schedule: one that stops giving dates otherwise has them more than 400 days apart, and would end unseen.
  if (dates.length < INTERVAL_SAMPLE && !/(^|;)UNTIL=/i.test(schedule.rrule ?? '')) return `its dates are more than 400 days apart (after ${isoTime(dates.at(-1)!)}): the longest a schedule may wait is 400 days`;
  for (let i = 1; i < dates.length; i += 1) {
    if (dates[i]! - dates[i - 1]! < RUN_INTERVAL_MIN_MS) return `runs ${isoTime(dates[i - 1]!)} and ${isoTime(dates[i]!)} are closer than 15 minutes`;
  }
  return null;
}

/** A time as ISO 8601 in UTC, for messages. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The first date strictly after `afterMs`, or null when the schedule has ended. `anchorMs`
 * is when the instruction was made, or one of its dates (the one that just fell due).
 */
export function nextOccurrence(schedule: Schedule, afterMs: number, anchorMs: number): number | null {
  // A rule was checked when the instruction was made; should the library still throw, every node throws alike: the schedule ends.
  try {
    return compiled(schedule, anchorMs).next(afterMs);
  } catch {
    return null;
  }
}

/** The next `count` dates after `fromMs` (`anchorMs` as for nextOccurrence). */
export function upcoming(schedule: Schedule, fromMs: number, anchorMs: number, count: number): number[] {
  try {
    return nextDates(compiled(schedule, anchorMs), fromMs, count);
  } catch {
    return [];
  }
}

function nextDates(rule: Compiled, fromMs: number, count: number): number[] {
  const dates: number[] = [];
  for (let at = rule.next(fromMs); at !== null && dates.length < count; at = rule.next(at)) dates.push(at);
  return dates;
}

/** The dates in (fromMs, toMs], at most `max` of them, in one walk of at most RUN_GAP_MAX_MS (`anchorMs` as for nextOccurrence). */
export function occurrences(schedule: Schedule, fromMs: number, toMs: number, anchorMs: number, max: number): number[] {
  try {
    return compiled(schedule, anchorMs).dates(fromMs, Math.min(toMs, fromMs + RUN_GAP_MAX_MS), max);
  } catch {
    return [];
  }
}
