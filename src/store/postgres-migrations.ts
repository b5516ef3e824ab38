import type pg from 'pg';
import { encodeBlockRecord, type TransactionRecord } from './block-record.js';
import { seqOf } from './rows.js';

/** One schema change: SQL, or work that reads and rewrites rows; each runs once, in order, in one transaction. */
export type PostgresMigration = string | ((client: pg.PoolClient) => Promise<void>);

export const MIGRATIONS: readonly PostgresMigration[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE blocks (height BIGINT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, timestamp_ms BIGINT NOT NULL, header TEXT NOT NULL, signatures TEXT NOT NULL);
   CREATE INDEX blocks_time ON blocks (timestamp_ms);
   CREATE TABLE transactions (
     seq BIGINT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, client_id TEXT NOT NULL,
     valid_until_ms BIGINT NOT NULL, envelope TEXT NOT NULL, result TEXT NOT NULL,
     signers TEXT NOT NULL, accounts TEXT NOT NULL, parties TEXT NOT NULL,
     UNIQUE (sender, client_id));
   CREATE TABLE account_transactions (account TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (account, seq));
   CREATE TABLE state (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id));`,
  // One row: the sequencer lease. Times are the database's own clock, so the nodes' clocks need not agree.
  `CREATE TABLE sequencer_lease (
     id INTEGER PRIMARY KEY CHECK (id = 1), epoch BIGINT NOT NULL, holder TEXT NOT NULL, url TEXT NOT NULL,
     expires_at TIMESTAMPTZ NOT NULL, height BIGINT NOT NULL DEFAULT 0);`,
  // Single-use signed requests, remembered until their timestamp's window closes.
  `CREATE TABLE request_claims (digest TEXT PRIMARY KEY, expires_at_ms BIGINT NOT NULL);
   CREATE INDEX request_claims_expiry ON request_claims (expires_at_ms);`,
  // Chain format 2: visibility comes from what is signed, not from stored party lists; domain
  // events by position; each account's history as entries with its balances after each one.
  `DROP TABLE account_transactions;
   ALTER TABLE transactions DROP COLUMN accounts, DROP COLUMN parties, ADD COLUMN events TEXT NOT NULL DEFAULT '{"events":[]}';
   ALTER TABLE blocks ADD COLUMN events TEXT NOT NULL DEFAULT '[]';
   CREATE TABLE account_entries (
     account TEXT NOT NULL, seq BIGINT NOT NULL, n INTEGER NOT NULL, available_after TEXT NOT NULL, held_after TEXT NOT NULL,
     PRIMARY KEY (account, seq, n));`,
  // The block log, as in SQLite: a block is one row, its transactions one record in it
  // (block-record.ts); transactions by id and hash and each account's history become
  // derived indexes, written behind the commit path (postgres-index.ts).
  toBlockLog,
];

/** Blocks converted per read: bounds the rows one conversion step holds. */
const CONVERSION_BLOCKS = 16;

interface OldTransactionRow { seq: number; hash: string; sender: string; client_id: string; envelope: string; result: string; signers: string; events: string }
interface OldEntryRow { seq: number; n: number; account: string; available_after: string; held_after: string }

/**
 * Writes each block's transaction rows, events and entries as its record, then keeps of
 * the transaction rows only what indexes them: the derived indexes hold every block at once.
 */
async function toBlockLog(client: pg.PoolClient): Promise<void> {
  await client.query("ALTER TABLE blocks ADD COLUMN record BYTEA NOT NULL DEFAULT '\\x'::bytea");
  for (let after = 0; ;) {
    const { rows: blocks } = await client.query<{ height: number; events: string }>('SELECT height, events FROM blocks WHERE height > $1 ORDER BY height LIMIT $2', [after, CONVERSION_BLOCKS]);
    if (blocks.length === 0) break;
    const last = blocks[blocks.length - 1]!.height;
    const range = [seqOf(after + 1, 0), seqOf(last + 1, 0)];
    const transactions = (await client.query<OldTransactionRow>('SELECT seq, hash, sender, client_id, envelope, result, signers, events FROM transactions WHERE seq >= $1 AND seq < $2 ORDER BY seq', range)).rows;
    const entries = entriesBySeq((await client.query<OldEntryRow>('SELECT seq, n, account, available_after, held_after FROM account_entries WHERE seq >= $1 AND seq < $2 ORDER BY seq, n, account', range)).rows);
    let next = 0;
    for (const block of blocks) {
      const records: TransactionRecord[] = [];
      for (const end = seqOf(block.height + 1, 0); next < transactions.length && transactions[next]!.seq < end; next += 1) {
        const row = transactions[next]!;
        if (row.seq !== seqOf(block.height, records.length)) throw new Error(`cannot convert block ${block.height} to the block log: it has no transaction at position ${records.length}`);
        records.push({ hash: row.hash, sender: row.sender, id: row.client_id, envelope: row.envelope, result: row.result, signers: row.signers, events: row.events, entries: entries.get(row.seq + 1) ?? '[]' });
      }
      const record = encodeBlockRecord({ events: block.events, entries: entries.get(seqOf(block.height, 0)) ?? '[]', transactions: records });
      await client.query('UPDATE blocks SET record = $1 WHERE height = $2', [record, block.height]);
    }
    after = last;
  }
  await client.query(`ALTER TABLE blocks DROP COLUMN events;
    ALTER TABLE transactions DROP COLUMN valid_until_ms, DROP COLUMN envelope, DROP COLUMN result, DROP COLUMN signers, DROP COLUMN events;
    ALTER TABLE transactions RENAME TO transaction_index;
    INSERT INTO meta (key, value) SELECT 'indexed_height', coalesce(max(height), 0)::text FROM blocks;`);
}

/** The entries column (entries-column.ts) of each seq that has entries. */
function entriesBySeq(rows: readonly OldEntryRow[]): Map<number, string> {
  const columns = new Map<number, [number, string, string, string][]>();
  for (const row of rows) {
    const column = columns.get(row.seq) ?? [];
    column.push([row.n, row.account, row.available_after, row.held_after]);
    columns.set(row.seq, column);
  }
  return new Map([...columns].map(([seq, column]) => [seq, JSON.stringify(column)]));
}
