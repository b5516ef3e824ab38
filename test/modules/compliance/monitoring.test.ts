import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Monitor } from '../../../src/modules/compliance/monitoring/monitor.js';
import type { AlertDraft, Payment } from '../../../src/modules/compliance/monitoring/payment.js';
import { basisPoints, DEFAULT_MONITORING, HOUR_MS } from '../../../src/modules/compliance/monitoring/settings.js';

const T0 = Date.UTC(2026, 10, 2, 9);
const MIN = 60_000;

/** A stream of USD payments (2 decimals) in feed order, amounts in dollars. */
function stream() {
  let position = 0;
  return (from: string, to: string, dollars: number | bigint, atMs: number, currency = 'USD'): Payment => ({
    position: String(++position).padStart(8, '0'), timeMs: atMs, transaction: `tx-${position}`, from, to, asset: `${currency.toLowerCase()}-fmb`, currency, decimals: 2, amount: BigInt(dollars) * 100n,
  });
}

function feed(monitor: Monitor, payments: Payment[]): AlertDraft[] {
  return payments.flatMap((payment) => monitor.observe(payment));
}

const rules = (alerts: AlertDraft[]) => alerts.map((a) => a.rule);

describe('transaction monitoring: the rules', () => {
  it('large transactions: at or above the currency threshold (USD 10,000; HKD 8,000), not below', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    assert.deepEqual(rules(feed(monitor, [pay('a', 'b', 9_999, T0), pay('a', 'b', 10_000, T0 + MIN), pay('c', 'd', 8_000, T0 + 2 * MIN, 'HKD'), pay('c', 'd', 7_999, T0 + 3 * MIN, 'HKD')])), ['large_transaction', 'large_transaction']);
  });

  it('structuring: three payments just under the threshold within a day raise one alert with all three as evidence', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const payments = [pay('a', 'b', 9_500, T0), pay('a', 'c', 9_200, T0 + HOUR_MS), pay('a', 'b', 9_900, T0 + 2 * HOUR_MS), pay('a', 'd', 9_800, T0 + 3 * HOUR_MS)];
    const alerts = feed(monitor, payments).filter((a) => a.rule === 'structuring');
    assert.equal(alerts.length, 1, 'deduplicated within the window');
    assert.equal(alerts[0]!.subject, 'a');
    assert.deepEqual(alerts[0]!.payments.map((p) => p.position), payments.slice(0, 3).map((p) => p.position));
    assert.match(alerts[0]!.detail, /3 payments between 8000.00 USD and 10000.00 USD within 24 h, 28600.00 USD in all/);
    // Spread over more than a day, the same amounts raise nothing.
    const spread = new Monitor(DEFAULT_MONITORING);
    assert.deepEqual(rules(feed(spread, [pay('e', 'b', 9_500, T0), pay('e', 'b', 9_500, T0 + 13 * HOUR_MS), pay('e', 'b', 9_500, T0 + 26 * HOUR_MS)])), []);
  });

  it('velocity and round amounts', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const many = Array.from({ length: 51 }, (_, i) => pay('v', `p${i % 5}`, 17, T0 + i * 1000));
    assert.deepEqual(rules(feed(monitor, many)), ['velocity']);
    assert.deepEqual(rules(feed(monitor, [pay('r', 'x', 3_000, T0), pay('r', 'y', 5_000, T0 + MIN), pay('r', 'z', 2_000, T0 + 2 * MIN)])), ['round_amounts']);
  });

  it('a dormant account waking with a large sum, and a first large payment to an account opened days ago', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    monitor.opened('sleepy', T0 - 200 * 24 * HOUR_MS);
    monitor.opened('fresh', T0 - 2 * 24 * HOUR_MS);
    assert.deepEqual(rules(feed(monitor, [pay('sleepy', 'old', 6_000, T0)])), ['dormant_account']);
    assert.deepEqual(rules(feed(monitor, [pay('old', 'fresh', 6_000, T0 + MIN)])), ['new_counterparty']);
    assert.deepEqual(rules(feed(monitor, [pay('old', 'fresh', 6_000, T0 + 2 * MIN)])), [], 'only the first payment to it');
  });
});

describe('transaction monitoring: the configured shares', () => {
  it('are read from their decimal digits into basis points; a share finer than a basis point is refused when the monitor is built', () => {
    assert.equal(basisPoints(0.8), 8000n);
    assert.equal(basisPoints(0.9125), 9125n);
    assert.equal(basisPoints(1), 10_000n);
    assert.throws(() => new Monitor({ ...DEFAULT_MONITORING, mule: { senders: 3, forwarded: 0.1 + 0.2 } }), /share 0\.30000000000000004 is not a decimal of at most four places/);
    assert.throws(() => new Monitor({ ...DEFAULT_MONITORING, structuring: { count: 3, floor: 0.80001, windowHours: 24 } }), /share 0\.80001/);
  });
});

describe('transaction monitoring: graph typologies', () => {
  it('a cycle A → B → C → A within the window, with its path; not when the hops run backwards in time', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const alerts = feed(monitor, [pay('a', 'b', 500, T0), pay('b', 'c', 490, T0 + 10 * MIN), pay('c', 'a', 480, T0 + 20 * MIN)]);
    const cycle = alerts.find((a) => a.rule === 'cycle')!;
    assert.deepEqual(cycle.path, ['a', 'b', 'c', 'a']);
    assert.equal(cycle.payments.length, 3);
    // c → d happened before d → e: e → c does not close a flow of money.
    const other = new Monitor(DEFAULT_MONITORING);
    assert.deepEqual(rules(feed(other, [pay('d', 'e', 500, T0 + 10 * MIN), pay('c', 'd', 500, T0 + 20 * MIN), pay('e', 'c', 500, T0 + 30 * MIN)])).filter((r) => r === 'cycle'), []);
    // Beyond the graph's window, the first hop is forgotten.
    const late = new Monitor(DEFAULT_MONITORING);
    assert.deepEqual(rules(feed(late, [pay('f', 'g', 500, T0), pay('g', 'h', 500, T0 + 10 * MIN), pay('h', 'f', 500, T0 + 73 * HOUR_MS)])).filter((r) => r === 'cycle'), []);
  });

  it('a cycle through a busy account: its many later small payments do not hide the ring it started', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const busy = Array.from({ length: 60 }, (_, i) => pay('a', `shop-${i}`, 5, T0 + 11 * MIN + i * 1000));
    const alerts = feed(monitor, [pay('a', 'b', 500, T0), pay('b', 'c', 490, T0 + 10 * MIN), ...busy, pay('c', 'a', 480, T0 + 20 * MIN)]);
    const cycle = alerts.find((a) => a.rule === 'cycle');
    assert.deepEqual(cycle?.path, ['a', 'b', 'c', 'a']);
  });

  it('fan-in and fan-out at ten distinct counterparties, raised once', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const into = Array.from({ length: 12 }, (_, i) => pay(`s${i}`, 'hub', 100, T0 + i * MIN));
    const out = Array.from({ length: 12 }, (_, i) => pay('spray', `r${i}`, 100, T0 + i * MIN));
    assert.deepEqual(rules(feed(monitor, into)).filter((r) => r === 'fan_in'), ['fan_in']);
    assert.deepEqual(rules(feed(monitor, out)).filter((r) => r === 'fan_out'), ['fan_out']);
  });

  it('a layering chain: four quick hops, each keeping a little; not when a hop is slow', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const alerts = feed(monitor, [pay('l1', 'l2', 50_000, T0), pay('l2', 'l3', 49_000, T0 + 20 * MIN), pay('l3', 'l4', 48_000, T0 + 40 * MIN), pay('l4', 'l5', 47_000, T0 + 55 * MIN)]);
    const chain = alerts.find((a) => a.rule === 'layering')!;
    assert.deepEqual(chain.path, ['l1', 'l2', 'l3', 'l4', 'l5']);
    const slow = new Monitor(DEFAULT_MONITORING);
    assert.equal(feed(slow, [pay('m1', 'm2', 50_000, T0), pay('m2', 'm3', 49_000, T0 + 3 * HOUR_MS), pay('m3', 'm4', 48_000, T0 + 3 * HOUR_MS + MIN), pay('m4', 'm5', 47_000, T0 + 3 * HOUR_MS + 2 * MIN)]).some((a) => a.rule === 'layering'), false);
  });

  it('a mule-like account: money in from three senders, nearly all of it sent on', () => {
    const monitor = new Monitor(DEFAULT_MONITORING);
    const pay = stream();
    const alerts = feed(monitor, [pay('x1', 'mule', 3_000, T0), pay('x2', 'mule', 2_000, T0 + MIN), pay('x3', 'mule', 4_000, T0 + 2 * MIN), pay('mule', 'boss', 8_500, T0 + 30 * MIN)]);
    assert.deepEqual(alerts.filter((a) => a.rule === 'mule').map((a) => a.subject), ['mule']);
  });
});
