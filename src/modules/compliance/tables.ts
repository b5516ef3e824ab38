import type { Migration } from 'kysely';

/**
 * The compliance module's tables: each list version it has loaded, and each screening of
 * a participant (at registration, on a change, on a list update), with its hits as JSON.
 */
export const COMPLIANCE_MIGRATIONS: Record<string, Migration> = {
  '0001_lists_screenings': {
    up: async (db) => {
      await db.schema.createTable('compliance_lists')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('path', 'text', (c) => c.notNull())
        .addColumn('entries', 'integer', (c) => c.notNull())
        .addColumn('added', 'integer', (c) => c.notNull())
        .addColumn('removed', 'integer', (c) => c.notNull())
        .addColumn('changed', 'integer', (c) => c.notNull())
        .addColumn('loaded_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('compliance_lists_pk', ['source', 'version'])
        .execute();
      await db.schema.createTable('compliance_screenings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('participant', 'text', (c) => c.notNull())
        .addColumn('legal_name', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('hits', 'text', (c) => c.notNull())
        .addColumn('list_versions', 'text', (c) => c.notNull())
        .addColumn('screened_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('compliance_screenings_participant').on('compliance_screenings').columns(['participant', 'screened_at_ms']).execute();
    },
  },
  '0002_screening_decisions': {
    up: async (db) => {
      await db.schema.alterTable('compliance_screenings').addColumn('decision', 'text').execute();
      await db.schema.alterTable('compliance_screenings').addColumn('decided_by', 'text').execute();
      await db.schema.alterTable('compliance_screenings').addColumn('decided_at_ms', 'bigint').execute();
      await db.schema.alterTable('compliance_screenings').addColumn('note', 'text').execute();
    },
  },
  '0003_monitoring_cases': {
    up: async (db) => {
      // The payments within the monitor's longest window, to rebuild it after a restart; and when accounts opened.
      await db.schema.createTable('compliance_payments')
        .addColumn('position', 'text', (c) => c.primaryKey())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('transaction_hash', 'text')
        .addColumn('payer', 'text', (c) => c.notNull())
        .addColumn('payee', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('decimals', 'integer', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('compliance_payments_time').on('compliance_payments').column('time_ms').execute();
      await db.schema.createTable('compliance_accounts')
        .addColumn('account', 'text', (c) => c.primaryKey())
        .addColumn('opened_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('compliance_alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alert_key', 'text', (c) => c.notNull().unique())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .addColumn('position', 'text', (c) => c.notNull())
        .addColumn('block_time_ms', 'bigint', (c) => c.notNull())
        .addColumn('raised_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .execute();
      await db.schema.createIndex('compliance_alerts_status').on('compliance_alerts').columns(['status', 'raised_at_ms']).execute();
      await db.schema.createTable('compliance_cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text')
        .addColumn('opened_by', 'text', (c) => c.notNull())
        .addColumn('opened_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at_ms', 'bigint')
        .addColumn('decision_note', 'text')
        .addColumn('action', 'text')
        .addColumn('action_status', 'text', (c) => c.notNull())
        .addColumn('action_transaction', 'text')
        .addColumn('action_problem', 'text')
        .execute();
      await db.schema.createTable('compliance_case_notes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text')
        .addColumn('sha256', 'text')
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('compliance_case_notes_case').on('compliance_case_notes').columns(['case_id', 'at_ms']).execute();
    },
  },
  '0004_reports': {
    up: async (db) => {
      await db.schema.createTable('compliance_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('covers', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('action', 'text')
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('document', 'text')
        .addColumn('sha256', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('transaction_hash', 'text')
        .addColumn('filed_at_ms', 'bigint')
        .addColumn('problem', 'text')
        .execute();
      await db.schema.createIndex('compliance_reports_status').on('compliance_reports').column('status').execute();
    },
  },
  '0005_travel_rule': {
    up: async (db) => {
      await db.schema.createTable('compliance_travel_rule')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('originator_account', 'text', (c) => c.notNull())
        .addColumn('beneficiary_account', 'text', (c) => c.notNull())
        .addColumn('submitted_by', 'text', (c) => c.notNull())
        .addColumn('submitted_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('originator_participant', 'text')
        .addColumn('beneficiary_participant', 'text')
        .execute();
    },
  },
};

export interface ListVersionRow {
  source: string;
  version: string;
  path: string;
  entries: number;
  added: number;
  removed: number;
  changed: number;
  loaded_at_ms: number | string;
}

export interface ScreeningRow {
  id: string;
  participant: string;
  legal_name: string;
  /** registered@ or updated@ the event's position, list_update:<source>:<version>, or refused_at_admission. */
  cause: string;
  outcome: 'block' | 'review' | 'clear';
  hits: string;
  list_versions: string;
  screened_at_ms: number | string;
  /** Compliance's decision on the hits: cleared (a false hit) or confirmed. */
  decision: 'cleared' | 'confirmed' | null;
  decided_by: string | null;
  decided_at_ms: number | string | null;
  note: string | null;
}

export interface PaymentRow {
  position: string;
  time_ms: number | string;
  transaction_hash: string | null;
  payer: string;
  payee: string;
  asset: string;
  currency: string;
  decimals: number;
  amount: string;
}

export interface AlertRow {
  id: string;
  alert_key: string;
  rule: string;
  subject: string;
  detail: string;
  /** JSON: the payments (position, transaction, from, to, amount, time) and the path, if any. */
  evidence: string;
  position: string;
  block_time_ms: number | string;
  raised_at_ms: number | string;
  status: 'open' | 'in_case';
  case_id: string | null;
}

export type CaseStatus = 'open' | 'escalated' | 'closed_false_positive' | 'confirmed';

export interface CaseRow {
  id: string;
  status: CaseStatus;
  subject: string;
  assignee: string | null;
  opened_by: string;
  opened_at_ms: number | string;
  decided_by: string | null;
  decided_at_ms: number | string | null;
  decision_note: string | null;
  /** JSON: what confirming the case does on the ledger ({ freeze: account }), carried out by the module. */
  action: string | null;
  action_status: 'none' | 'due' | 'done' | 'failed';
  action_transaction: string | null;
  action_problem: string | null;
}

export interface CaseNoteRow {
  id: string;
  case_id: string;
  kind: 'comment' | 'attachment' | 'assignment' | 'escalation' | 'decision';
  author: string;
  text: string;
  file_name: string | null;
  sha256: string | null;
  at_ms: number | string;
}

export interface ReportRow {
  /** The report's id, as filed on the ledger: STR-… for a case, THR-<date> for a day's threshold report. */
  id: string;
  kind: 'suspicious_transaction' | 'threshold';
  format: 'goaml-xml' | 'csv';
  covers: string;
  case_id: string | null;
  reason: string | null;
  action: string | null;
  requested_by: string;
  requested_at_ms: number | string;
  /** The document as filed, once built. */
  document: string | null;
  sha256: string | null;
  status: 'due' | 'filed' | 'failed';
  transaction_hash: string | null;
  filed_at_ms: number | string | null;
  problem: string | null;
}

export interface TravelRuleRow {
  /** SHA-256 of the payload's RFC 8785 JSON: what the payment carries. */
  hash: string;
  payload: string;
  originator_account: string;
  beneficiary_account: string;
  submitted_by: string;
  submitted_at_ms: number | string;
  /** The two institutions, recorded when a payment naming the data is admitted: who may see it. */
  originator_participant: string | null;
  beneficiary_participant: string | null;
}
