import { SqliteDialect, type DatabaseConnection, type Driver, type QueryCompiler, type TransactionSettings } from 'kysely';
import { turnIfHeld } from './turns.js';

/**
 * Kysely's SQLite dialect, with the event loop let turn between queries. better-sqlite3
 * answers synchronously, so a chain of awaited queries (a reconciliation of a hundred
 * thousand entries, say) otherwise runs to its end without one turn: no timer, no socket
 * and, for a module in the node's process, no block for seconds. The turn is taken when a
 * query or a transaction is about to take the connection or has just given it back, never
 * inside a transaction (whose queries use the connection it holds), and only once the
 * thread has been held TURN_AFTER_MS (see turns.ts), so short work pays nothing.
 */
export class TurningSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    return new TurningDriver(super.createDriver());
  }
}

class TurningDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await turnIfHeld();
    return this.inner.acquireConnection();
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  // Savepoints happen inside a transaction: passed through, never a turn.
  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint?.(connection, name, compile) ?? noSavepoints();
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint?.(connection, name, compile) ?? noSavepoints();
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint?.(connection, name, compile) ?? noSavepoints();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await this.inner.releaseConnection(connection);
    await turnIfHeld();
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

function noSavepoints(): Promise<void> {
  return Promise.reject(new Error('this SQLite driver has no savepoints'));
}
