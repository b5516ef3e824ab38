import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { lostServer, PrimaryPool } from './primary.js';
import { comparePositions, type EntryRecord, type EventPosition, type EventRecord, type SignedBlock } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import { blockRecordBytes, RecentRecords, recordEvents, recordHistoryLine, storedTransactionOf } from './block-log.js';
import { BlockRecordView, type TransactionRecord } from './block-record.js';
import { endIfFrozen } from './postgres-idle.js';
import { MIGRATIONS } from './postgres-migrations.js';
import { indexRowsOfWrite, PostgresDerivedIndex } from './postgres-index.js';
import { BLOCKS_PAGE, decodeBlock, decodeEntry, EVENT_BLOCKS_PAGE, hashPrefixRange, historyBounds, positionOf, type BlockRow, type EntryRow } from './rows.js';
import { assertChainFormat, FencedError, type BlockWrite, type HistoryLine, type HistoryQuery, type Lease, type SequencerLease, type Snapshot, type StateRow, type Store, type StoredBlock, type StoredTransaction } from './types.js';

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
 * The production store: PostgreSQL, one database transaction per block. A block is one
 * row of the block log (its header, signatures and record: block-record.ts) with, now and
 * then, the state's changed rows in bulk; the ways in by hash, by id and by account are
 * derived indexes written behind the commit path (postgres-index.ts). With
 * synchronous_commit on (the default) a block is durable, on the primary and on any
 * synchronous standby, before commitBlock returns.
 */
export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly lease: SequencerLease;
  private fencingEpoch: number | null = null;
  /** Transactions by hash and id and each account's history, written behind the commit path. */
  private readonly index = new PostgresDerivedIndex((work) => this.inTransaction(work));
  private readonly recent = new RecentRecords();

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
      for (const [index, migration] of MIGRATIONS.entries()) {
        if (index < (rows[0]?.version ?? 0)) continue;
        if (typeof migration === 'string') await client.query(migration);
        else await migration(client);
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
    const record = write.record ?? blockRecordBytes(write);
    await this.inTransaction(async (client) => {
      await endIfFrozen(client);
      await checkFence(client, epoch, block.header.height);
      // The height is the primary key: a second writer of the same height fails here, whole.
      await client.query('INSERT INTO blocks (height, hash, timestamp_ms, header, signatures, record) VALUES ($1, $2, $3, $4, $5, $6)', [
        block.header.height, block.hash, block.header.timestampMs, JSON.stringify(block.header), JSON.stringify(block.signatures), record,
      ]);
      if (write.snapshot !== null) await writeSnapshot(client, block.header.height, write.snapshot);
    });
    await this.index.committed(indexRowsOfWrite(write));
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
      await endIfFrozen(client);
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

  /** A block's record, decoded lazily; recent ones are kept. Undefined for a height not written. */
  private async record(height: number): Promise<BlockRecordView | undefined> {
    const kept = this.recent.kept(height);
    if (kept !== undefined) return kept;
    const { rows } = await this.query<{ record: Buffer }>('SELECT record FROM blocks WHERE height = $1', [height]);
    return rows[0] === undefined ? undefined : this.recent.keep(new BlockRecordView(height, rows[0].record));
  }

  async blockTransactions(height: number): Promise<StoredTransaction[]> {
    const view = await this.record(height);
    return view === undefined ? [] : [...view.transactions()].map((tx, position) => storedTransactionOf(height, position, tx));
  }

  /** The transaction at a seq, if the log has one there that `matches` (a derived index decides nothing). */
  private async transactionAt(seq: number | undefined, matches: (tx: TransactionRecord) => boolean): Promise<StoredTransaction | null> {
    if (seq === undefined) return null;
    const { height, index: position } = positionOf(seq, 0);
    const view = await this.record(height);
    if (view === undefined || position >= view.count) return null;
    const tx = view.transaction(position);
    return matches(tx) ? storedTransactionOf(height, position, tx) : null;
  }

  /**
   * The seq an index query finds, exact without waiting for the index in the usual case:
   * one statement reads the log's head, the indexed height and the lookup; when the index
   * and what this process committed (in memory) cover the head, the answer stands, and
   * otherwise the index is caught up first. `pending` is the in-memory lookup, asked before
   * and after (a block indexed meanwhile left memory only once its rows were visible).
   */
  private async indexedSeq(lookup: string, values: unknown[], pending: () => number | undefined): Promise<number | undefined> {
    const before = pending();
    if (before !== undefined) return before;
    const sql = `SELECT (SELECT max(height) FROM blocks) AS head, (SELECT value FROM meta WHERE key = 'indexed_height') AS indexed, (${lookup}) AS seq`;
    const mark = this.index.mark();
    let row = (await this.query<{ head: number | null; indexed: string | null; seq: number | null }>(sql, values)).rows[0];
    this.index.learned(Number(row?.indexed ?? 0), mark);
    const head = row?.head ?? 0;
    if (!this.index.covers(head)) {
      await this.index.caughtUp(head);
      row = (await this.query<{ seq: number | null }>(lookup, values)).rows[0] as typeof row;
    }
    return row?.seq ?? pending();
  }

  /** Waits until the index holds every block the log holds now (for reads that need the index itself: history, hash ranges). */
  private async caughtUpIndex(): Promise<void> {
    const mark = this.index.mark();
    const { rows } = await this.query<{ head: number | null; indexed: string | null }>("SELECT (SELECT max(height) FROM blocks) AS head, (SELECT value FROM meta WHERE key = 'indexed_height') AS indexed");
    this.index.learned(Number(rows[0]?.indexed ?? 0), mark);
    await this.index.caughtUp(rows[0]?.head ?? 0);
  }

  async transactionsByHashPrefix(prefix: string, limit: number): Promise<StoredTransaction[]> {
    const { low, high } = hashPrefixRange(prefix);
    await this.caughtUpIndex();
    // The range seeks the hash index whatever the column's collation; LIKE keeps exactly the prefix.
    const { rows } = await this.query<{ seq: number }>('SELECT seq FROM transaction_index WHERE hash >= $1 AND hash < $2 AND hash LIKE $3 ORDER BY hash LIMIT $4', [low, high, `${prefix}%`, limit]);
    const found = await Promise.all(rows.map((row) => this.transactionAt(row.seq, (tx) => tx.hash >= low && tx.hash < high)));
    return found.filter((tx) => tx !== null);
  }

  async transaction(hash: string): Promise<StoredTransaction | null> {
    const seq = await this.indexedSeq('SELECT seq FROM transaction_index WHERE hash = $1', [hash], () => this.index.pendingSeqOfHash(hash));
    return this.transactionAt(seq, (tx) => tx.hash === hash);
  }

  /** Admission asks this for every submission: one statement, and no wait for the index behind the commit path. */
  async transactionById(sender: string, id: string): Promise<StoredTransaction | null> {
    const seq = await this.indexedSeq('SELECT seq FROM transaction_index WHERE sender = $1 AND client_id = $2', [sender, id], () => this.index.pendingSeqOfId(sender, id));
    return this.transactionAt(seq, (tx) => tx.sender === sender && tx.id === id);
  }

  async heightAt(timeMs: number): Promise<number> {
    const { rows } = await this.query<{ height: number | null }>('SELECT max(height) AS height FROM blocks WHERE timestamp_ms <= $1', [timeMs]);
    return rows[0]?.height ?? 0;
  }

  async events(after: EventPosition | null, limit: number): Promise<EventRecord[]> {
    const found: EventRecord[] = [];
    for (let height = Math.max(1, after?.height ?? 1); found.length < limit;) {
      const { rows: blocks } = await this.query<{ height: number; timestamp_ms: number }>('SELECT height, timestamp_ms FROM blocks WHERE height >= $1 ORDER BY height LIMIT $2', [height, EVENT_BLOCKS_PAGE]);
      for (const block of blocks) {
        const view = await this.record(block.height);
        if (view === undefined) break;
        const fromIndex = after !== null && block.height === after.height ? after.index : 0;
        for (const event of recordEvents(view, block.timestamp_ms, fromIndex, (v, position, t) => this.recent.transactionEvents(v, position, t))) {
          if (after === null || comparePositions(event, after) > 0) found.push(event);
          if (found.length >= limit) return found;
        }
      }
      if (blocks.length < EVENT_BLOCKS_PAGE) break;
      height = blocks[blocks.length - 1]!.height + 1;
    }
    return found;
  }

  async accountHistory(account: string, query: HistoryQuery): Promise<HistoryLine[]> {
    await this.caughtUpIndex();
    const { beforeSeq, beforeN, fromSeq, toSeq } = historyBounds(query);
    const { rows } = await this.query<EntryRow>(
      `SELECT account, seq, n, available_after, held_after FROM account_entries
       WHERE account = $1 AND (seq, n) < ($2, $3) AND seq >= $4 AND seq < $5 ORDER BY seq DESC, n DESC LIMIT $6`,
      [account, beforeSeq, beforeN, fromSeq, toSeq, query.limit],
    );
    const entries = rows.map(decodeEntry);
    const heights = [...new Set(entries.map((entry) => entry.height))];
    const times = new Map((await this.query<{ height: number; timestamp_ms: number }>('SELECT height, timestamp_ms FROM blocks WHERE height = ANY($1)', [heights])).rows.map((row) => [row.height, row.timestamp_ms]));
    const lines: HistoryLine[] = [];
    for (const entry of entries) lines.push(recordHistoryLine(account, entry, await this.record(entry.height), times.get(entry.height)));
    return lines;
  }

  async *storedBlocks(afterHeight: number, options: { events?: boolean } = {}): AsyncIterable<StoredBlock> {
    for (let after = afterHeight; ; ) {
      const { rows } = await this.query<BlockRow>('SELECT height, hash, timestamp_ms, header, signatures FROM blocks WHERE height > $1 ORDER BY height LIMIT $2', [after, BLOCKS_PAGE]);
      if (rows.length === 0) return;
      for (const row of rows) {
        const block = decodeBlock(row);
        // Read once, not kept: a pass over the chain would only push recent blocks out.
        const bytes = (await this.query<{ record: Buffer }>('SELECT record FROM blocks WHERE height = $1', [row.height])).rows[0]!.record;
        const view = new BlockRecordView(row.height, bytes);
        const transactions = [...view.transactions()].map((tx, position) => storedTransactionOf(row.height, position, tx));
        const events = options.events === true ? [...recordEvents(view, block.header.timestampMs, 0)] : undefined;
        yield { block, transactions, ...(events !== undefined && { events }) };
        after = row.height;
      }
    }
  }

  /** Every history entry, from the index once it holds every block of the log, so the verifier checks what history queries answer. */
  async *allEntries(): AsyncIterable<EntryRecord> {
    await this.caughtUpIndex();
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
    await this.index.close();
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
