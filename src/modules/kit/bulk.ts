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
