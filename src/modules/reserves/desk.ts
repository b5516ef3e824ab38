import type { DepositumClient } from '../../sdk/index.js';
import type { AnyDatabase } from '../kit/database.js';
import { submitOnce } from '../kit/submit-once.js';
import { assess, type Coin } from './assess.js';
import { money, toAssetMinor } from './money.js';
import type { Profile } from './profiles.js';
import type { RegisterStore } from './register.js';
import { dailyReport, reportBytes } from './report.js';
import { defaultScenarios, runScenario } from './stress.js';
import type { ReportRow } from './tables.js';
import { formatAmount, parseAmount } from '../../core/index.js';

/** The coin as the ledger has it now: its currency, scale and live supply. */
export async function coinOf(client: DepositumClient, asset: string): Promise<Coin> {
  const view = await client.request<{ id: string; code: string; decimals: number; issued: string; redeemed: string; supply: string }>('GET', `/v1/assets/${asset}`);
  const supply = parseAmount(view.supply, view.decimals);
  if (!supply.ok) throw new Error(`the node reports a supply of ${asset} that does not parse: ${view.supply}`);
  return { asset, currency: view.code, decimals: view.decimals, supplyMinor: supply.minor };
}

/**
 * The daily report and its attestation on the chain: requested by the desk (or due after
 * midnight UTC), carried out by the module's participant, which alone signs. The report is
 * kept as made, by its SHA-256; the attestation commits to that hash and to the holdings'
 * root, with the reserves counted (rounded down to the coin's scale) and the supply used.
 */
export class ReportDesk {
  constructor(private readonly db: AnyDatabase, private readonly register: RegisterStore, private readonly profile: Profile, private readonly asset: string, private readonly nowMs: () => number) {}

  async request(report: string, by: string): Promise<ReportRow> {
    const row: ReportRow = { report, requested_by: by, requested_at_ms: this.nowMs(), status: 'pending', body: null, sha256: null, holdings_root: null, transaction_hash: null, problem: null, done_at_ms: null };
    await this.db.insertInto('reserves_reports').values(row).onConflict((oc) => oc.column('report').doUpdateSet({ status: 'pending', requested_by: by, requested_at_ms: row.requested_at_ms, problem: null })).execute();
    return row;
  }

  async get(report: string): Promise<ReportRow | undefined> {
    return await this.db.selectFrom('reserves_reports').selectAll().where('report', '=', report).executeTakeFirst() as ReportRow | undefined;
  }

  async list(limit: number): Promise<ReportRow[]> {
    return await this.db.selectFrom('reserves_reports').selectAll().orderBy('report', 'desc').limit(limit).execute() as ReportRow[];
  }

  /** Yesterday's report (UTC), once, if none was made: the daily attestation. Nothing before the first positions file (there is nothing to attest). */
  async scheduleDaily(): Promise<void> {
    if ((await this.register.current()).version === 0) return;
    const yesterday = new Date(this.nowMs() - 86_400_000).toISOString().slice(0, 10);
    if (await this.get(yesterday) === undefined) await this.request(yesterday, 'schedule');
  }

  async carryOut(client: DepositumClient): Promise<void> {
    const pending = await this.db.selectFrom('reserves_reports').selectAll().where('status', '=', 'pending').orderBy('requested_at_ms').limit(10).execute() as ReportRow[];
    for (const row of pending) await this.attest(client, row);
  }

  private async attest(client: DepositumClient, row: ReportRow): Promise<void> {
    const coin = await coinOf(client, this.asset);
    const register = await this.register.current();
    const assessment = assess(register, coin, this.profile);
    const stress = defaultScenarios(assessment.valued).map((scenario) => runScenario(assessment.valued, assessment.supply, this.profile, coin.currency, scenario));
    const report = dailyReport(row.report, coin, assessment, stress);
    const { json, sha256 } = reportBytes(report);
    const id = `reserves-attest-${row.report}-${sha256.slice(0, 16)}`;
    const outcome = await submitOnce(client, {
      type: 'attest_reserves', asset: this.asset, report: row.report, reportHash: sha256, holdingsRoot: report.holdingsRoot, holdings: report.holdings,
      reserves: formatAmount(toAssetMinor(assessment.totals.eligible, coin.decimals), coin.decimals), supply: formatAmount(coin.supplyMinor, coin.decimals),
    }, id, `reserve report ${row.report}: ${money(assessment.totals.eligible)} against ${money(assessment.supply)}`);
    const done = outcome.status === 'committed'
      ? { status: 'attested' as const, body: json, sha256, holdings_root: report.holdingsRoot, transaction_hash: id, problem: null, done_at_ms: this.nowMs() }
      : { status: 'failed' as const, body: json, sha256, holdings_root: report.holdingsRoot, transaction_hash: null, problem: `${outcome.code}: ${outcome.message}`, done_at_ms: this.nowMs() };
    await this.db.updateTable('reserves_reports').set(done).where('report', '=', row.report).where('status', '=', 'pending').execute();
  }
}
