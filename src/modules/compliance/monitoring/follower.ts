import { randomUUID } from 'node:crypto';
import { comparePositions, parsePosition, type EventPosition } from '../../../chain/index.js';
import { parseAmount } from '../../../core/index.js';
import type { DepositumClient, LedgerEvent } from '../../../sdk/index.js';
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

  async handle(event: LedgerEvent): Promise<Recorder | undefined> {
    await this.rebuild();
    const position = parsePosition(event.position);
    // An event handled again (its record failed, the kit repeats it) is not counted twice.
    const repeated = position !== null && this.last !== null && comparePositions(position, this.last) <= 0;
    if (position !== null && !repeated) this.last = position;
    if (event.type === 'account_opened') {
      const account = String(event.data['account']);
      if (!repeated) this.monitor.opened(account, event.timeMs);
      return async (trx) => {
        await trx.insertInto('compliance_accounts').values({ account, opened_at_ms: event.timeMs }).onConflict((oc) => oc.column('account').doNothing()).execute();
      };
    }
    if (event.type !== 'transferred') return undefined;
    const payment = await this.paymentOf(event);
    const alerts = repeated ? [] : this.monitor.observe(payment);
    const rows = alerts.map((alert) => this.alertRow(alert, event));
    return async (trx) => {
      await trx.insertInto('compliance_payments').values(paymentRow(payment)).onConflict((oc) => oc.column('position').doNothing()).execute();
      for (const row of rows) await trx.insertInto('compliance_alerts').values(row).onConflict((oc) => oc.column('alert_key').doNothing()).execute();
    };
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

  /** After a restart: the windows refilled from the table, in feed order, raising nothing. */
  private async rebuild(): Promise<void> {
    if (this.rebuilt) return;
    this.rebuilt = true;
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
