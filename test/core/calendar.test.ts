import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { occurrences } from '../../src/core/index.js';

const ZONES = ['Europe/London', 'America/New_York', 'Asia/Singapore', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Sao_Paulo', 'Pacific/Auckland'];
const DAY_MS = 86_400_000;

/** The wall clock of `ms` in `timeZone`, read with Intl (the oracle, independent of the calendar's own conversion). */
function wallClock(ms: number, timeZone: string): { hour: number; minute: number; weekday: string; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short', day: 'numeric' }).formatToParts(new Date(ms));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return { hour: Number(part('hour')), minute: Number(part('minute')), weekday: part('weekday'), day: Number(part('day')) };
}

describe('the calendar of standing instructions', () => {
  it('gives dates whose wall clock in the zone is the rule\'s, on every day including the days clocks change, in order', () => {
    // Hours outside 01:00-03:59 never fall in a change of clocks in these zones, so each date must read exactly the rule's time.
    const hour = fc.integer({ min: 4, max: 23 });
    fc.assert(fc.property(
      fc.constantFrom(...ZONES), hour, fc.constantFrom(0, 15, 30, 45),
      fc.constantFrom('FREQ=DAILY', 'FREQ=WEEKLY;BYDAY=MO,WE,FR', 'FREQ=MONTHLY;BYMONTHDAY=1', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1'),
      fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2028, 0, 1) }),
      (timeZone, h, m, base, anchor) => {
        const dates = occurrences({ rrule: `${base};BYHOUR=${h};BYMINUTE=${m};BYSECOND=0`, timeZone }, anchor, anchor + 120 * DAY_MS, anchor, 200);
        assert.ok(dates.length > 0);
        for (const [i, at] of dates.entries()) {
          const wall = wallClock(at, timeZone);
          assert.deepEqual([wall.hour, wall.minute], [h, m], `${base} in ${timeZone}: ${new Date(at).toISOString()}`);
          if (base.includes('BYMONTHDAY=1')) assert.equal(wall.day, 1);
          if (base.includes('WEEKLY')) assert.ok(['Mon', 'Wed', 'Fri'].includes(wall.weekday));
          if (base.includes('BYSETPOS')) assert.ok(!['Sat', 'Sun'].includes(wall.weekday));
          assert.ok(at > anchor && (i === 0 || at > dates[i - 1]!));
        }
        // 120 days of instants hold 119 to 121 wall-clock days, as a change of clocks moves the time an hour either way.
        if (base === 'FREQ=DAILY') assert.ok(dates.length >= 119 && dates.length <= 121, `a date a day: ${dates.length}`);
      }), { numRuns: 200 });
  });

  it('reads a wall time that a change of clocks skips as the same clock reading after the change', () => {
    // 01:30 on 28 March 2027 does not exist in London (01:00 GMT becomes 02:00 BST): it is read as 02:30 BST, 01:30 UTC.
    const [skipped] = occurrences({ rrule: 'FREQ=DAILY;BYHOUR=1;BYMINUTE=30;BYSECOND=0', timeZone: 'Europe/London' }, Date.UTC(2027, 2, 28), Date.UTC(2027, 2, 29), Date.UTC(2027, 2, 27, 12), 1);
    assert.equal(skipped, Date.UTC(2027, 2, 28, 1, 30));
    // 01:30 on 31 October 2027 happens twice (BST, then GMT): the first.
    const [twice] = occurrences({ rrule: 'FREQ=DAILY;BYHOUR=1;BYMINUTE=30;BYSECOND=0', timeZone: 'Europe/London' }, Date.UTC(2027, 9, 30, 12), Date.UTC(2027, 9, 31, 12), Date.UTC(2027, 9, 30, 12), 1);
    assert.equal(twice, Date.UTC(2027, 9, 31, 0, 30));
  });
});
