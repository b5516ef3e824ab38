import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, sql, type Migration } from 'kysely';
import pg from 'pg';
import { keepingStatements } from './kept-statements.js';
import { TurningSqliteDialect } from './turning-sqlite.js';

/** Where a module keeps its tables: the ledger's own store (SQLite file or PostgreSQL database) or one of its own. */
export type ModuleDatabaseLocation = { readonly sqlite: string } | { readonly postgres: string };

/** A module's tables are named `<module>_…`; the kit's own are `kit_…`. The ledger's tables are never touched. */
export const MODULE_NAME = /^[a-z][a-z0-9]{1,30}$/;

/** INT8 columns (times in ms, counters) read as numbers: every value a module keeps there is below 2^53. */
const PG_INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === PG_INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/** How long a module's SQLite connection waits for the ledger's writer (which holds the lock for one block at a time). */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;

// Modules declare their tables' shapes with Kysely's types; the kit itself works on any.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDatabase = Kysely<any>;

export function openModuleDatabase(location: ModuleDatabaseLocation): AnyDatabase {
  if ('postgres' in location) {
    return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: location.postgres, max: 4, types: pgTypes }) }) });
  }
  const database = new Database(location.sqlite, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  return new Kysely({ dialect: new TurningSqliteDialect({ database: keepingStatements(database) }) });
}

/**
 * Brings `<name>`'s tables up to date: its migrations, applied in name order, recorded in
 * its own `<name>_migrations` table (under its own lock), so modules never wait on or
 * see each other's schema changes. On PostgreSQL the nodes of a cluster start together:
 * Kysely creates its migration tables before it takes its lock, and two nodes creating
 * them at once fail ("relation … does not exist"), so the whole run holds a session
 * advisory lock of the module's own first. Kysely looks its tables up by name in every
 * schema: the schema is named, or another schema's tables (another ledger's, a test's)
 * would pass for this one's.
 */
export async function migrateModule(db: AnyDatabase, name: string, migrations: Readonly<Record<string, Migration>>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return runMigrations(db, name, migrations);
  await db.connection().execute(async (connection) => {
    const key = `depositum module migrations ${name}`;
    await sql`SELECT pg_advisory_lock(hashtext(${key}))`.execute(connection);
    try {
      const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(connection);
      await runMigrations(connection, name, migrations, rows[0]?.schema);
    } finally {
      await sql`SELECT pg_advisory_unlock(hashtext(${key}))`.execute(connection);
    }
  });
}

async function runMigrations(db: AnyDatabase, name: string, migrations: Readonly<Record<string, Migration>>, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    ...(schema !== undefined && { migrationTableSchema: schema }),
    provider: { getMigrations: async () => ({ ...migrations }) },
    migrationTableName: `${name}_migrations`,
    migrationLockTableName: `${name}_migrations_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`module ${name}: migration ${failed} failed: ${(error as Error).message}`, { cause: error });
  }
}
