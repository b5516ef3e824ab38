import { setImmediate } from 'node:timers/promises';

/**
 * Rows per INSERT, and keys per IN (…): far below SQLite's and PostgreSQL's limits on bound
 * values (32,766 and 65,535) at the few dozen columns a module's table has.
 */
export const ROWS_PER_STATEMENT = 400;

/** Rows in slices of `size` (ROWS_PER_STATEMENT: one statement each, a page's records written in bulk). */
export function chunksOf<T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/**
 * Lets the event loop turn (timers, sockets and, for a module in the node's process, the
 * sequencer) between the steps of long work. SQLite answers synchronously, so a chain of
 * awaited queries otherwise runs to its end without one: a reconciliation of a hundred
 * thousand entries would hold the thread for seconds.
 */
export function breathe(): Promise<void> {
  return setImmediate();
}
