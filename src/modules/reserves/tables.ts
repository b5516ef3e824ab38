import type { Migration } from 'kysely';

/**
 * The reserves module's tables: every import (positions, prices, FX) as a version with its
 * file's hash, the register each positions or prices import leaves, the rates, the early
 * warning's state and what it did, rebalancing proposals, desk requests and daily reports.
 */
export const RESERVES_MIGRATIONS: Record<string, Migration> = {
  '0001_register': {
    up: async (db) => {
      await db.schema.createTable('reserves_imports')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('rows', 'integer', (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('imported_by', 'text', (c) => c.notNull())
        .addColumn('imported_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('reserves_holdings')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('instrument_id', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reserves_holdings_pk', ['version', 'instrument_id'])
        .execute();
      await db.schema.createTable('reserves_rates')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('rate', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('reserves_rates_pk', ['version', 'currency'])
        .execute();
      await db.schema.createTable('reserves_watch')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('coverage', 'text', (c) => c.notNull())
        .addColumn('liquidity', 'text', (c) => c.notNull())
        .addColumn('supply', 'text', (c) => c.notNull())
        .addColumn('register_version', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('transaction_hash', 'text')
        .execute();
      await db.schema.createTable('reserves_coin')
        .addColumn('asset', 'text', (c) => c.primaryKey())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('decimals', 'integer', (c) => c.notNull())
        .addColumn('supply_minor', 'text', (c) => c.notNull())
        .addColumn('manager', 'text')
        .addColumn('read_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('reserves_proposals')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('register_version', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at_ms', 'bigint')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createTable('reserves_reports')
        .addColumn('report', 'text', (c) => c.primaryKey())
        .addColumn('requested_by', 'text', (c) => c.notNull())
        .addColumn('requested_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('sha256', 'text')
        .addColumn('holdings_root', 'text')
        .addColumn('transaction_hash', 'text')
        .addColumn('problem', 'text')
        .addColumn('done_at_ms', 'bigint')
        .execute();
    },
  },
};

export interface ImportRow { version: number; kind: 'positions' | 'prices' | 'fx'; name: string; sha256: string; rows: number; as_of: string; imported_by: string; imported_at_ms: number }
export interface WatchRow { id: string; at_ms: number; level: string; coverage: string; liquidity: string; supply: string; register_version: number; action: string; transaction_hash: string | null }
export interface ProposalRow { id: string; created_at_ms: number; requested_by: string; register_version: number; body: string; status: 'proposed' | 'accepted' | 'rejected'; decided_by: string | null; decided_at_ms: number | null; note: string | null }
export interface ReportRow { report: string; requested_by: string; requested_at_ms: number; status: 'pending' | 'attested' | 'failed'; body: string | null; sha256: string | null; holdings_root: string | null; transaction_hash: string | null; problem: string | null; done_at_ms: number | null }
