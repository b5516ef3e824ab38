import { stringify } from 'csv-stringify/sync';
import { sha256Hex } from '../../../chain/index.js';
import { formatAmount } from '../../../core/index.js';
import type { DepositumClient } from '../../../sdk/index.js';
import type { AnyDatabase } from '../../kit/database.js';
import { CaseError } from '../cases.js';
import { largeIn, type MonitoringSettings } from '../monitoring/settings.js';
import type { AlertRow, CaseRow, PaymentRow, ReportRow } from '../tables.js';
import { buildStrXml, goamlDate, type ReportedParty, type ReportingEntity } from './goaml.js';

/**
 * Reports to the authority, built and filed by the module: a suspicious transaction report
 * (goAML XML) from a confirmed case, on a compliance officer's request; a day's threshold
 * report (CSV: every payment at or above its currency's threshold). Each is kept as filed
 * and recorded on the ledger by its SHA-256 (`file_report`, signed by the compliance
 * identity, its id derived from the report's, so a retry never files twice).
 */
type EvidencePayment = { position: string; transaction: string | null; from: string; to: string; amount: string; decimals: number; currency: string; timeMs: number };

const DAY_MS = 86_400_000;
const compact = (id: string) => id.replace(/-/g, '');

export class ReportDesk {
  private readonly holders = new Map<string, ReportedParty['holder'] & { owner: string; issuer: string }>();

  constructor(private readonly db: AnyDatabase, private readonly entity: ReportingEntity, private readonly monitoring: MonitoringSettings, private readonly nowMs: () => number) {}

  /** A suspicious transaction report on a confirmed case, due to be built and filed. */
  async requestStr(caseId: string, officer: string, reason: string, action: string): Promise<ReportRow> {
    const decided = await this.db.selectFrom('compliance_cases').selectAll().where('id', '=', caseId).executeTakeFirst() as CaseRow | undefined;
    if (decided === undefined) throw new CaseError('not_found', `no case ${caseId}`);
    if (decided.status !== 'confirmed') throw new CaseError('invalid', `case ${caseId} is ${decided.status}: a suspicious transaction report follows a confirmed case`);
    const row: ReportRow = {
      id: `STR-${compact(caseId)}`.slice(0, 35), kind: 'suspicious_transaction', format: 'goaml-xml', covers: `case-${compact(caseId)}`.slice(0, 35), case_id: caseId,
      reason, action, requested_by: officer, requested_at_ms: this.nowMs(), document: null, sha256: null, status: 'due', transaction_hash: null, filed_at_ms: null, problem: null,
    };
    const inserted = await this.db.insertInto('compliance_reports').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new CaseError('conflict', `case ${caseId} has its report already (${row.id})`);
    return row;
  }

  /** A threshold report of one UTC day (YYYY-MM-DD), due to be built and filed. */
  async requestThreshold(day: string, officer: string): Promise<ReportRow> {
    const row: ReportRow = {
      id: `THR-${day}`, kind: 'threshold', format: 'csv', covers: day, case_id: null, reason: null, action: null, requested_by: officer,
      requested_at_ms: this.nowMs(), document: null, sha256: null, status: 'due', transaction_hash: null, filed_at_ms: null, problem: null,
    };
    const inserted = await this.db.insertInto('compliance_reports').values(row).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new CaseError('conflict', `the threshold report of ${day} exists already`);
    return row;
  }

  /** Yesterday's threshold report, once the day is over, if nobody asked for it yet. */
  async scheduleDaily(): Promise<void> {
    const yesterday = new Date(this.nowMs() - DAY_MS).toISOString().slice(0, 10);
    const exists = await this.db.selectFrom('compliance_reports').select('id').where('id', '=', `THR-${yesterday}`).executeTakeFirst();
    if (exists === undefined) await this.requestThreshold(yesterday, 'schedule');
  }

  /** Builds and files every report due. */
  async fileDue(client: DepositumClient): Promise<void> {
    const due = await this.db.selectFrom('compliance_reports').selectAll().where('status', '=', 'due').execute() as ReportRow[];
    for (const row of due) {
      const document = row.document ?? (row.kind === 'threshold' ? await this.thresholdCsv(row.covers) : await this.strXml(client, row));
      const hash = sha256Hex(document);
      if (row.document === null) await this.db.updateTable('compliance_reports').set({ document, sha256: hash }).where('id', '=', row.id).execute();
      const outcome = await client.submit([{ type: 'file_report', report: row.id, kind: row.kind, format: row.format, documentHash: hash, covers: row.covers }], { id: `file-${row.id}` });
      if (outcome.status !== 'sealed') continue;
      const { result } = outcome.receipt;
      await this.db.updateTable('compliance_reports').set({
        status: result.status === 'committed' ? 'filed' : 'failed', transaction_hash: outcome.receipt.transaction, filed_at_ms: this.nowMs(),
        problem: result.status === 'committed' ? null : `rejected: ${result.code ?? ''}`,
      }).where('id', '=', row.id).execute();
    }
  }

  private async thresholdCsv(day: string): Promise<string> {
    const start = Date.parse(`${day}T00:00:00Z`);
    const rows = await this.db.selectFrom('compliance_payments').selectAll().where('time_ms', '>=', start).where('time_ms', '<', start + DAY_MS).orderBy('time_ms').execute() as PaymentRow[];
    const large = rows.filter((row) => BigInt(row.amount) >= largeIn(this.monitoring, row.currency, row.decimals));
    return stringify([
      ['date_time', 'transaction', 'position', 'from_account', 'to_account', 'currency', 'amount', 'threshold'],
      ...large.map((row) => [new Date(Number(row.time_ms)).toISOString(), row.transaction_hash ?? '', row.position, row.payer, row.payee, row.currency, formatAmount(BigInt(row.amount), row.decimals), formatAmount(largeIn(this.monitoring, row.currency, row.decimals), row.decimals)]),
    ]);
  }

  private async strXml(client: DepositumClient, row: ReportRow): Promise<string> {
    const alerts = await this.db.selectFrom('compliance_alerts').selectAll().where('case_id', '=', row.case_id!).orderBy('raised_at_ms').execute() as AlertRow[];
    const payments = new Map<string, EvidencePayment>();
    for (const alert of alerts) for (const payment of (JSON.parse(alert.evidence) as { payments: EvidencePayment[] }).payments) payments.set(payment.position, payment);
    const ordered = [...payments.values()].sort((a, b) => a.timeMs - b.timeMs || a.position.localeCompare(b.position));
    const transactions = [];
    for (const payment of ordered) {
      transactions.push({
        number: payment.transaction ?? payment.position, internalReference: payment.position, dateIso: goamlDate(payment.timeMs), amountLocal: formatAmount(BigInt(payment.amount), payment.decimals),
        description: `${payment.currency} deposit token payment`,
        from: await this.party(client, payment.from, payment.currency), to: await this.party(client, payment.to, payment.currency),
      });
    }
    return buildStrXml({
      entityReference: row.case_id!, submissionDateIso: goamlDate(this.nowMs()), currencyCodeLocal: ordered[0]?.currency ?? 'USD', reason: row.reason ?? '', action: row.action ?? '',
      indicators: [...new Set(alerts.map((alert) => alert.rule.toUpperCase()))], transactions,
    }, this.entity);
  }

  /** An account's holder, as the ledger registers it; the bank's own client if the account's token is one it issues. */
  private async party(client: DepositumClient, account: string, currency: string): Promise<ReportedParty> {
    let holder = this.holders.get(account);
    if (holder === undefined) {
      const info = await client.account(account) as unknown as { owner: string; asset: string };
      const owner = await client.participantInfo(info.owner) as unknown as { legalName: string; jurisdiction: string; lei: string };
      const asset = await client.asset(info.asset);
      this.holders.set(account, holder = { name: owner.legalName, country: owner.jurisdiction, lei: owner.lei, owner: info.owner, issuer: asset.issuer });
    }
    const { owner: _owner, issuer, ...shown } = holder;
    return { account, currency, holder: shown, myClient: this.entity.issuers.includes(issuer) };
  }
}
