import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** How many statements a module's SQLite connection keeps: its queries' shapes, with room for the chunk sizes of its bulk ones. */
export const STATEMENTS_KEPT = 256;

/**
 * A better-sqlite3 connection as Kysely's SQLite dialect uses it, with its prepared
 * statements kept by SQL text (the most recently used STATEMENTS_KEPT). Kysely prepares
 * every query anew, and compiling the SQL was 2.4% of the banking module's thread while it
 * took credits. A kept statement stays right when the schema changes under it (SQLite
 * prepares it again by itself), and is never used twice at once: Kysely holds the one
 * connection for the whole of a query, a stream included.
 */
export function keepingStatements(database: Database.Database, kept = STATEMENTS_KEPT): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  return {
    close: () => void database.close(),
    prepare: (sql: string): SqliteStatement => {
      let statement = statements.get(sql);
      if (statement !== undefined) statements.delete(sql); // set again below: the most recent last
      else statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > kept) statements.delete(statements.keys().next().value!);
      return statement;
    },
  };
}
