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
