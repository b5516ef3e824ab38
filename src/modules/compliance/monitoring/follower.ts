import { randomUUID } from 'node:crypto';
import { comparePositions, parsePosition, type EventPosition } from '../../../chain/index.js';
import { parseAmount } from '../../../core/index.js';
import type { DepositumClient, LedgerEvent } from '../../../sdk/index.js';
import { chunksOf } from '../../kit/bulk.js';
import type { AnyDatabase } from '../../kit/database.js';
import type { Recorder } from '../../kit/module.js';
import type { AlertRow, PaymentRow } from '../tables.js';
import { Monitor } from './monitor.js';
import type { AlertDraft, Payment } from './payment.js';
import { HOUR_MS, type MonitoringSettings } from './settings.js';

/**
 * The monitor as the compliance module runs it: fed the feed's payments and account
 * openings in order, its alerts recorded with the payments that raised them. Its windows
 * live in memory and in `compliance_payments`; after a restart they are rebuilt from the
 * table (and the alerts already raised remembered) before the next event is looked at.
 */
export class PaymentFollower {
  private monitor: Monitor;
  private rebuilt = false;
  private last: EventPosition | null = null;
  private readonly assets = new Map<string, { currency: string; decimals: number }>();
  private readonly windowMs: number;

  constructor(private readonly db: AnyDatabase, private readonly client: DepositumClient, private readonly settings: MonitoringSettings, private readonly nowMs: () => number) {
    this.monitor = new Monitor(settings);
    this.windowMs = Math.max(settings.graphWindowHours, settings.structuring.windowHours, settings.roundAmounts.windowHours) * HOUR_MS;
  }

  /**
   * A page of payments and account openings, in feed order, through the monitor; recorded
   * in bulk: the payments (the windows' durable copy), the accounts and the alerts raised.
   */
  async handlePage(events: readonly LedgerEvent[]): Promise<Recorder | undefined> {
    const accounts: { account: string; opened_at_ms: number }[] = [];
    const payments: PaymentRow[] = [];
    const alerts: AlertRow[] = [];
    for (const event of events) {
      const repeated = await this.seen(event);
      if (event.type === 'account_opened') {
        const account = String(event.data['account']);
        if (!repeated) this.monitor.opened(account, event.timeMs);
        accounts.push({ account, opened_at_ms: event.timeMs });
      } else if (event.type === 'transferred') {
        const payment = await this.paymentOf(event);
        payments.push(paymentRow(payment));
        if (!repeated) for (const alert of this.monitor.observe(payment)) alerts.push(this.alertRow(alert, event));
      }
    }
    if (accounts.length === 0 && payments.length === 0) return undefined;
    return async (trx) => {
      for (const chunk of chunksOf(accounts)) await trx.insertInto('compliance_accounts').values(chunk).onConflict((oc) => oc.column('account').doNothing()).execute();
      for (const chunk of chunksOf(payments)) await trx.insertInto('compliance_payments').values(chunk).onConflict((oc) => oc.column('position').doNothing()).execute();
      for (const chunk of chunksOf(alerts)) await trx.insertInto('compliance_alerts').values(chunk).onConflict((oc) => oc.column('alert_key').doNothing()).execute();
    };
  }

  /**
   * Whether the monitor has already seen this event, once its windows are in memory. An
   * event seen before was handled again because its page's records failed: the monitor saw
   * payments that were never recorded, so it goes back to what the tables hold first. An
   * event seen and recorded (another runner moved the offset) raises nothing again.
   */
  private async seen(event: LedgerEvent): Promise<boolean> {
    const position = parsePosition(event.position);
    const before = (last: EventPosition | null) => position !== null && last !== null && comparePositions(position, last) <= 0;
    if (before(this.last)) this.rebuilt = false;
    await this.rebuild();
    const repeated = before(this.last);
    if (position !== null && !repeated) this.last = position;
    return repeated;
  }

  /** Payments that left every window leave the table too. */
  async prune(): Promise<void> {
    const newest = await this.db.selectFrom('compliance_payments').select((eb) => eb.fn.max('time_ms').as('t')).executeTakeFirst() as { t: number | string | null } | undefined;
    if (newest?.t === null || newest?.t === undefined) return;
    await this.db.deleteFrom('compliance_payments').where('time_ms', '<', Number(newest.t) - this.windowMs).execute();
  }

  private async paymentOf(event: LedgerEvent): Promise<Payment> {
    const asset = String(event.data['asset']);
    let info = this.assets.get(asset);
    if (info === undefined) {
      const supply = await this.client.asset(asset);
      this.assets.set(asset, info = { currency: supply.code, decimals: supply.decimals });
    }
    const parsed = parseAmount(String(event.data['amount']), info.decimals);
    if (!parsed.ok) throw new Error(`monitoring: amount ${String(event.data['amount'])} of ${asset} does not read (${parsed.reason})`);
    return {
      position: event.position, timeMs: event.timeMs, transaction: event.transaction?.hash ?? null, from: String(event.data['from']), to: String(event.data['to']),
      asset, currency: info.currency, decimals: info.decimals, amount: parsed.minor,
    };
  }

  private alertRow(alert: AlertDraft, event: LedgerEvent): AlertRow {
    const evidence = {
      payments: alert.payments.map((p) => ({ position: p.position, transaction: p.transaction, from: p.from, to: p.to, asset: p.asset, amount: String(p.amount), decimals: p.decimals, currency: p.currency, timeMs: p.timeMs })),
      ...(alert.path !== undefined && { path: alert.path }),
    };
    return {
      id: randomUUID(), alert_key: alert.key, rule: alert.rule, subject: alert.subject, detail: alert.detail, evidence: JSON.stringify(evidence),
      position: event.position, block_time_ms: event.timeMs, raised_at_ms: this.nowMs(), status: 'open', case_id: null,
    };
  }

  /** After a restart or a page whose records failed: the windows refilled from the table, in feed order, raising nothing. */
  private async rebuild(): Promise<void> {
    if (this.rebuilt) return;
    this.rebuilt = true;
    this.last = null;
    const monitor = new Monitor(this.settings);
    for (const row of await this.db.selectFrom('compliance_accounts').selectAll().execute() as { account: string; opened_at_ms: number | string }[]) monitor.opened(row.account, Number(row.opened_at_ms));
    for (const row of await this.db.selectFrom('compliance_alerts').select(['alert_key', 'block_time_ms']).execute() as Pick<AlertRow, 'alert_key' | 'block_time_ms'>[]) monitor.remember(row.alert_key, Number(row.block_time_ms));
    const rows = await this.db.selectFrom('compliance_payments').selectAll().execute() as PaymentRow[];
    const ordered = rows.map((row) => ({ row, at: parsePosition(row.position)! })).sort((a, b) => comparePositions(a.at, b.at));
    for (const { row, at } of ordered) {
      monitor.observe({ position: row.position, timeMs: Number(row.time_ms), transaction: row.transaction_hash, from: row.payer, to: row.payee, asset: row.asset, currency: row.currency, decimals: row.decimals, amount: BigInt(row.amount) });
      this.last = at;
    }
    this.monitor = monitor;
  }
}

function paymentRow(payment: Payment): PaymentRow {
  return {
    position: payment.position, time_ms: payment.timeMs, transaction_hash: payment.transaction, payer: payment.from, payee: payment.to,
    asset: payment.asset, currency: payment.currency, decimals: payment.decimals, amount: String(payment.amount),
  };
}
