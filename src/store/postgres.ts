import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { lostServer, PrimaryPool } from './primary.js';
import { type EntryRecord, type EventPosition, type EventRecord, type SignedBlock } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import { BLOCKS_PAGE, decodeBlock, hashPrefixRange, decodeEntry, decodeTransaction, encodeBlockEvents, encodeEntry, encodeTransactionEvents, eventsByIndex, expandEvents, historyBounds, historyLineOf, readEvents, seqOf, type BlockEventsRow, type BlockRow, type EntryRow, type TransactionEventsRow, type TransactionRow } from './rows.js';
import { assertChainFormat, FencedError, type BlockWrite, type HistoryLine, type HistoryQuery, type Lease, type SequencerLease, type Snapshot, type StateRow, type Store, type StoredBlock, type StoredTransaction } from './types.js';

/** Versioned schema changes; each runs once, in order, in one transaction, under an advisory lock. */
const MIGRATIONS: readonly string[] = [
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
];

/** Any fixed number: taken while migrating so that two nodes starting together migrate once. */
const MIGRATION_LOCK = 0x64_65_70_6f;
/** Snapshot rows per statement: bounds the size of one bind message. */
const SNAPSHOT_ROWS_PER_STATEMENT = 50_000;

/** BIGINT columns hold heights, positions and milliseconds, all far below 2^53: read them as numbers. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** A schema of its own (created if missing), e.g. one per test run; default: the connection's. */
  schema?: string;
  poolSize?: number;
}

/**
 * The production store: PostgreSQL, one database transaction per block with every row
 * sent in bulk through `unnest` (a handful of statements per block, never one per
 * transfer). With synchronous_commit on (the default) a block is durable, on the
 * primary and on any synchronous standby, before commitBlock returns.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly lease: SequencerLease;
  private fencingEpoch: number | null = null;

  private constructor(private readonly primary: PrimaryPool) {
    this.lease = {
      acquire: (holder, url, ttlMs) => this.acquireLease(holder, url, ttlMs),
      renew: (epoch, ttlMs) => this.renewLease(epoch, ttlMs),
      current: () => this.currentLease(),
      release: async (epoch) => {
        await this.query("UPDATE sequencer_lease SET expires_at = now() - interval '1 millisecond' WHERE id = 1 AND epoch = $1", [epoch]);
      },
      fence: (epoch) => {
        this.fencingEpoch = epoch;
      },
    };
  }

  static async open(connectionString: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new Error(`invalid schema name ${options.schema}`);
    const primary = new PrimaryPool(connectionString, {
      types, max: options.poolSize ?? 4,
      ...(options.schema !== undefined && { options: `-c search_path=${options.schema}` }),
    });
    const store = new PostgresStore(primary);
    if (options.schema !== undefined) await store.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    try {
      await store.refuseOtherFormats();
      await store.migrate();
    } catch (error) {
      await primary.end();
      throw error;
    }
    return store;
  }

  /** One statement on the primary; an error that says the server went away makes the next call look for it again. */
  private async query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> {
    const pool = await this.primary.pool();
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      this.primary.failed(error);
      throw error;
    }
  }

  private async inTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const pool = await this.primary.pool();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      this.primary.failed(error);
      throw error;
    }
    // A connection that dies between two statements is reported as an event, not to a statement.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
      this.primary.failed(error);
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      this.primary.failed(error);
      // A connection that failed mid-transaction is destroyed rather than given back for reuse.
      if (lostServer(error)) broken ??= error as Error;
      else await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /** A database written by another chain format is refused before any migration touches it. */
  private async refuseOtherFormats(): Promise<void> {
    const { rows } = await this.query<{ present: boolean }>("SELECT to_regclass('meta') IS NOT NULL AS present");
    if (rows[0]?.present !== true) return;
    const genesis = await this.query<{ value: string }>("SELECT value FROM meta WHERE key = 'genesis'");
    assertChainFormat(genesis.rows[0]?.value);
  }

  private async migrate(): Promise<void> {
    await this.inTransaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)');
      const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
      for (const [index, sql] of MIGRATIONS.entries()) {
        if (index < (rows[0]?.version ?? 0)) continue;
        await client.query(sql);
        await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [index + 1]);
      }
    });
  }

  private async acquireLease(holder: string, url: string, ttlMs: number): Promise<number | null> {
    const { rows } = await this.query<{ epoch: number }>(
      `INSERT INTO sequencer_lease (id, epoch, holder, url, expires_at) VALUES (1, 1, $1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (id) DO UPDATE SET epoch = sequencer_lease.epoch + 1, holder = excluded.holder, url = excluded.url, expires_at = excluded.expires_at
       WHERE sequencer_lease.expires_at < now() OR sequencer_lease.holder = excluded.holder
       RETURNING epoch`,
      [holder, url, ttlMs],
    );
    return rows[0]?.epoch ?? null;
  }

  private async renewLease(epoch: number, ttlMs: number): Promise<boolean> {
    const { rowCount } = await this.query("UPDATE sequencer_lease SET expires_at = now() + $2 * interval '1 millisecond' WHERE id = 1 AND epoch = $1", [epoch, ttlMs]);
    return rowCount === 1;
  }

  private async currentLease(): Promise<Lease | null> {
    const { rows } = await this.query<{ epoch: number; holder: string; url: string; expires_in_ms: number }>(
      'SELECT epoch, holder, url, greatest(0, floor(extract(epoch FROM expires_at - now()) * 1000))::bigint AS expires_in_ms FROM sequencer_lease WHERE id = 1',
    );
    const row = rows[0];
    return row === undefined ? null : { epoch: row.epoch, holder: row.holder, url: row.url, expiresInMs: row.expires_in_ms };
  }

  async sharedSecret(name: string): Promise<Buffer> {
    const key = `secret:${name}`;
    await this.query('INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, randomBytes(32).toString('hex')]);
    const { rows } = await this.query<{ value: string }>('SELECT value FROM meta WHERE key = $1', [key]);
    return Buffer.from(rows[0]!.value, 'hex');
  }

  async claimRequest(digest: string, expiresAtMs: number): Promise<boolean> {
    await this.query('DELETE FROM request_claims WHERE expires_at_ms < $1', [Date.now()]);
    const { rowCount } = await this.query('INSERT INTO request_claims (digest, expires_at_ms) VALUES ($1, $2) ON CONFLICT (digest) DO NOTHING', [digest, expiresAtMs]);
    return rowCount === 1;
  }

  async genesis(): Promise<Genesis | null> {
    const { rows } = await this.query<{ value: string }>("SELECT value FROM meta WHERE key = 'genesis'");
    return rows[0] === undefined ? null : (JSON.parse(rows[0].value) as Genesis);
  }

  async saveGenesis(genesis: Genesis): Promise<void> {
    await this.query("INSERT INTO meta (key, value) VALUES ('genesis', $1)", [JSON.stringify(genesis)]);
  }

  async head(): Promise<SignedBlock | null> {
    const { rows } = await this.query<BlockRow>('SELECT height, hash, timestamp_ms, header, signatures FROM blocks ORDER BY height DESC LIMIT 1');
    return rows[0] === undefined ? null : decodeBlock(rows[0]);
  }

  async commitBlock(write: BlockWrite): Promise<void> {
    const { block } = write;
    const epoch = this.fencingEpoch;
    await this.inTransaction(async (client) => {
      await checkFence(client, epoch, block.header.height);
      const events = eventsByIndex(write.records.events);
      // The height is the primary key: a second writer of the same height fails here, whole.
      await client.query('INSERT INTO blocks (height, hash, timestamp_ms, header, signatures, events) VALUES ($1, $2, $3, $4, $5, $6)', [
        block.header.height, block.hash, block.header.timestampMs, JSON.stringify(block.header), JSON.stringify(block.signatures), encodeBlockEvents(events.get(0) ?? []),
      ]);
      if (write.transactions.length > 0) await insertTransactions(client, write.transactions, events);
      await insertEntries(client, write.records.entries);
      if (write.snapshot !== null) await writeSnapshot(client, block.header.height, write.snapshot);
    });
  }

  async snapshot(): Promise<Snapshot> {
    return this.inTransaction(async (client) => {
      await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      const height = await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'state_height'");
      const { rows } = await client.query<{ kind: StateRow['table']; id: string; body: string }>('SELECT kind, id, body FROM state');
      return { height: Number(height.rows[0]?.value ?? 0), rows: rows.map((row) => ({ table: row.kind, id: row.id, body: row.body })) };
    });
  }

  async saveSnapshot(height: number, rows: readonly StateRow[]): Promise<void> {
    const epoch = this.fencingEpoch;
    await this.inTransaction(async (client) => {
      await checkFence(client, epoch, height);
      await writeSnapshot(client, height, rows);
    });
  }

  async block(height: number): Promise<SignedBlock | null> {
    const { rows } = await this.query<BlockRow>('SELECT height, hash, timestamp_ms, header, signatures FROM blocks WHERE height = $1', [height]);
    return rows[0] === undefined ? null : decodeBlock(rows[0]);
  }

  async blocks(afterHeight: number, limit: number): Promise<SignedBlock[]> {
    const { rows } = await this.query<BlockRow>('SELECT height, hash, timestamp_ms, header, signatures FROM blocks WHERE height > $1 ORDER BY height LIMIT $2', [afterHeight, limit]);
    return rows.map(decodeBlock);
  }

  async blockTransactions(height: number): Promise<StoredTransaction[]> {
    const { rows } = await this.query<TransactionRow>('SELECT * FROM transactions WHERE seq >= $1 AND seq < $2 ORDER BY seq', [seqOf(height, 0), seqOf(height + 1, 0)]);
    return rows.map(decodeTransaction);
  }

  async transactionsByHashPrefix(prefix: string, limit: number): Promise<StoredTransaction[]> {
    const { low, high } = hashPrefixRange(prefix);
    // The range seeks the hash index whatever the column's collation; LIKE keeps exactly the prefix.
    const { rows } = await this.query<TransactionRow>('SELECT * FROM transactions WHERE hash >= $1 AND hash < $2 AND hash LIKE $3 ORDER BY hash LIMIT $4', [low, high, `${prefix}%`, limit]);
    return rows.map(decodeTransaction);
  }

  async transaction(hash: string): Promise<StoredTransaction | null> {
    const { rows } = await this.query<TransactionRow>('SELECT * FROM transactions WHERE hash = $1', [hash]);
    return rows[0] === undefined ? null : decodeTransaction(rows[0]);
  }

  async transactionById(sender: string, id: string): Promise<StoredTransaction | null> {
    const { rows } = await this.query<TransactionRow>('SELECT * FROM transactions WHERE sender = $1 AND client_id = $2', [sender, id]);
    return rows[0] === undefined ? null : decodeTransaction(rows[0]);
  }

  async heightAt(timeMs: number): Promise<number> {
    const { rows } = await this.query<{ height: number | null }>('SELECT max(height) AS height FROM blocks WHERE timestamp_ms <= $1', [timeMs]);
    return rows[0]?.height ?? 0;
  }

  async events(after: EventPosition | null, limit: number): Promise<EventRecord[]> {
    return readEvents({
      blocks: async (fromHeight, count) => (await this.query<BlockEventsRow>('SELECT height, timestamp_ms, events FROM blocks WHERE height >= $1 ORDER BY height LIMIT $2', [fromHeight, count])).rows,
      transactions: async (fromSeq, toSeq) => (await this.query<TransactionEventsRow>('SELECT seq, hash, sender, client_id, signers, events FROM transactions WHERE seq >= $1 AND seq < $2 ORDER BY seq', [fromSeq, toSeq])).rows,
    }, after, limit);
  }

  async accountHistory(account: string, query: HistoryQuery): Promise<HistoryLine[]> {
    const { beforeSeq, beforeN, fromSeq, toSeq } = historyBounds(query);
    const { rows } = await this.query<EntryRow>(
      `SELECT account, seq, n, available_after, held_after FROM account_entries
       WHERE account = $1 AND (seq, n) < ($2, $3) AND seq >= $4 AND seq < $5 ORDER BY seq DESC, n DESC LIMIT $6`,
      [account, beforeSeq, beforeN, fromSeq, toSeq, query.limit],
    );
    const entries = rows.map(decodeEntry);
    const heights = [...new Set(entries.map((entry) => entry.height))];
    const blocks = new Map((await this.query<BlockEventsRow>('SELECT height, timestamp_ms, events FROM blocks WHERE height = ANY($1)', [heights])).rows.map((row) => [row.height, row]));
    const seqs = entries.filter((entry) => entry.index > 0).map((entry) => seqOf(entry.height, entry.index - 1));
    const transactions = new Map((await this.query<TransactionEventsRow>('SELECT seq, hash, sender, client_id, signers, events FROM transactions WHERE seq = ANY($1)', [seqs])).rows.map((row) => [row.seq, row]));
    return entries.map((entry) => historyLineOf(account, entry, blocks.get(entry.height), entry.index === 0 ? undefined : transactions.get(seqOf(entry.height, entry.index - 1))));
  }

  async *storedBlocks(afterHeight: number, options: { events?: boolean } = {}): AsyncIterable<StoredBlock> {
    for (let after = afterHeight; ; ) {
      const blocks = await this.query<BlockRow>('SELECT height, hash, timestamp_ms, header, signatures, events FROM blocks WHERE height > $1 ORDER BY height LIMIT $2', [after, BLOCKS_PAGE]);
      if (blocks.rows.length === 0) return;
      const last = blocks.rows[blocks.rows.length - 1]!.height;
      const range = [seqOf(after + 1, 0), seqOf(last + 1, 0)];
      const { rows } = await this.query<TransactionRow & { events: string }>('SELECT * FROM transactions WHERE seq >= $1 AND seq < $2 ORDER BY seq', range);
      let next = 0;
      for (const row of blocks.rows) {
        const end = seqOf(row.height + 1, 0);
        const first = next;
        const transactions: StoredTransaction[] = [];
        while (next < rows.length && rows[next]!.seq < end) transactions.push(decodeTransaction(rows[next++]!));
        const events = options.events === true ? expandEvents([{ height: row.height, timestamp_ms: row.timestamp_ms ?? 0, events: (row as BlockRow & { events: string }).events }], rows.slice(first, next)) : undefined;
        yield { block: decodeBlock(row), transactions, ...(events !== undefined && { events }) };
      }
      after = last;
    }
  }

  async *allEntries(): AsyncIterable<EntryRecord> {
    const page = 10_000;
    for (let after: [string, number, number] = ['', -1, 0]; ;) {
      const { rows } = await this.query<EntryRow>(
        'SELECT account, seq, n, available_after, held_after FROM account_entries WHERE (account, seq, n) > ($1, $2, $3) ORDER BY account, seq, n LIMIT $4',
        [...after, page],
      );
      for (const row of rows) yield decodeEntry(row);
      if (rows.length < page) return;
      const last = rows[rows.length - 1]!;
      after = [last.account, last.seq, last.n];
    }
  }

  async close(): Promise<void> {
    await this.primary.end();
  }
}

/**
 * Inside a write's transaction, first: the lease row's lock orders the write against a
 * takeover, so once another node holds the next epoch nothing of this one lands.
 */
async function checkFence(client: pg.PoolClient, epoch: number | null, height: number): Promise<void> {
  if (epoch === null) return;
  const fenced = await client.query('UPDATE sequencer_lease SET height = greatest(height, $2) WHERE id = 1 AND epoch = $1', [epoch, height]);
  if (fenced.rowCount !== 1) throw new FencedError(epoch, height);
}

async function insertTransactions(client: pg.PoolClient, transactions: BlockWrite['transactions'], events: ReadonlyMap<number, EventRecord[]>): Promise<void> {
  const columns: unknown[][] = Array.from({ length: 9 }, () => []);
  for (const tx of transactions) {
    const { body } = tx.envelope;
    const row = [
      seqOf(tx.height, tx.position), tx.hash, body.sender, body.id, body.validUntilMs, tx.canonicalEnvelope, JSON.stringify(tx.result), JSON.stringify(tx.signers),
      encodeTransactionEvents(events.get(tx.position + 1) ?? [], body.reference, body.memo),
    ];
    row.forEach((value, column) => columns[column]!.push(value));
  }
  await client.query(
    `INSERT INTO transactions (seq, hash, sender, client_id, valid_until_ms, envelope, result, signers, events)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])`,
    columns,
  );
}

async function insertEntries(client: pg.PoolClient, entries: BlockWrite['records']['entries']): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(encodeEntry);
  await client.query(
    'INSERT INTO account_entries (account, seq, n, available_after, held_after) SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[])',
    [rows.map((r) => r.account), rows.map((r) => r.seq), rows.map((r) => r.n), rows.map((r) => r.available_after), rows.map((r) => r.held_after)],
  );
}

async function writeSnapshot(client: pg.PoolClient, height: number, rows: readonly StateRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += SNAPSHOT_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + SNAPSHOT_ROWS_PER_STATEMENT);
    await client.query(
      'INSERT INTO state (kind, id, body) SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body',
      [chunk.map((r) => r.table), chunk.map((r) => r.id), chunk.map((r) => r.body)],
    );
  }
  await client.query("INSERT INTO meta (key, value) VALUES ('state_height', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [String(height)]);
}
