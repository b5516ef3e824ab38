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
  /** registered, updated (the event's position), or list_update:<source>:<version>. */
  cause: string;
  outcome: 'block' | 'review' | 'clear';
  hits: string;
  list_versions: string;
  screened_at_ms: number | string;
}
