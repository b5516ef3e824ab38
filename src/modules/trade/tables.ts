import type { Migration } from 'kysely';

/** The trade module's tables: every version of every agreement as proposed (the document its hash signs), and the signatures the ledger recorded. */
export const TRADE_MIGRATIONS: Record<string, Migration> = {
  '0001_agreements': {
    up: async (db) => {
      await db.schema.createTable('trade_versions')
        .addColumn('agreement', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('buyer', 'text', (c) => c.notNull())
        .addColumn('seller', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text', (c) => c.notNull())
        .addColumn('proposed_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('trade_versions_pk', ['agreement', 'version'])
        .execute();
      await db.schema.createTable('trade_signatures')
        .addColumn('position', 'text', (c) => c.primaryKey())
        .addColumn('agreement', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('signed_by', 'text', (c) => c.notNull())
        .addColumn('concluded', 'integer', (c) => c.notNull())
        .addColumn('transaction_id', 'text')
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('trade_signatures_agreement').on('trade_signatures').columns(['agreement', 'version']).execute();
    },
  },
};

export interface VersionRow { agreement: string; version: number; body: string; hash: string; buyer: string; seller: string; proposed_by: string; proposed_at_ms: number }
export interface SignatureRow { position: string; agreement: string; version: number; hash: string; signed_by: string; concluded: number; transaction_id: string | null; time_ms: number }
