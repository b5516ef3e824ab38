import type pg from 'pg';

/**
 * How long a writing transaction may sit idle (its process frozen: stopped, a paused VM,
 * swapped out) before the server ends its session. A block's commit locks the lease row
 * and an index transaction the index's lock; held by a frozen process, they would stop
 * the lease's takeover and every other node's reads until it woke. As long as the lease:
 * a process frozen that long has lost its lease anyway. A healthy writer sends its few
 * statements back to back.
 */
export const IDLE_IN_TRANSACTION_MS = 2_000;

/** First in a writing transaction: the server ends it if the process stops sending. */
export async function endIfFrozen(client: pg.PoolClient): Promise<void> {
  await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${IDLE_IN_TRANSACTION_MS}`);
}
