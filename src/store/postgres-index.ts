import type pg from 'pg';
import { transactionKey } from '../core/index.js';
import { BlockRecordView } from './block-record.js';
import { entryRowsOf } from './entries-column.js';
import { endIfFrozen } from './postgres-idle.js';
import { encodeEntry, seqOf, type EntryRow } from './rows.js';
import type { BlockWrite } from './types.js';

/** What one block adds to the derived indexes: its transactions by hash and by sender and id, and its history entries. */
export interface IndexRows {
  height: number;
  transactions: { seq: number; hash: string; sender: string; id: string }[];
  entries: EntryRow[];
}

/** A committed block's index rows, from what the sequencer wrote (nothing is read back). */
export function indexRowsOfWrite(write: BlockWrite): IndexRows {
  const { height } = write.block.header;
  return {
    height,
    transactions: write.transactions.map((tx) => ({ seq: seqOf(height, tx.position), hash: tx.hash, sender: tx.envelope.body.sender, id: tx.envelope.body.id })),
    entries: write.records.entries.map(encodeEntry),
  };
}

/** A block's index rows, from its record in the log (a block another node wrote, or one this node did not index before it stopped). */
export function indexRowsOfRecord(view: BlockRecordView): IndexRows {
  const rows: IndexRows = { height: view.height, transactions: [], entries: entryRowsOf(seqOf(view.height, 0), view.entries) };
  for (let position = 0; position < view.count; position += 1) {
    const tx = view.transaction(position);
    const seq = seqOf(view.height, position);
    rows.transactions.push({ seq, hash: tx.hash, sender: tx.sender, id: tx.id });
    // An entry's seq is (height, index) with index = position + 1.
    rows.entries.push(...entryRowsOf(seq + 1, tx.entries));
  }
  return rows;
}

/** Any fixed number (not the migrations'): whoever writes the derived indexes holds it, so blocks are indexed once, in order. */
const INDEX_LOCK = 0x64_65_70_69;
/** Blocks per index transaction: large enough to write in bulk, small enough to bound one statement's arrays. */
const BLOCKS_PER_BATCH = 16;
/**
 * Blocks this process may have committed and not seen indexed (their rows are held in
 * memory meanwhile): past it, a commit waits for the index. The index keeps up with the
 * commits by far; this bounds the memory when it cannot (a failing index write), so the
 * node stops committing, loudly, instead of growing until it is killed.
 */
export const MAX_BLOCKS_BEHIND = 64;

type InTransaction = <T>(work: (client: pg.PoolClient) => Promise<T>) => Promise<T>;

/**
 * The derived indexes of a PostgreSQL ledger (transactions by hash and by sender and id,
 * each account's history), written behind the commit path: a block's commit is one row
 * in the block log, and its index rows follow in a transaction of their own, several
 * blocks at a time, with `indexed_height` (every block up to it is indexed) in the same
 * transaction. Any node may write them (they are derived from the log): a follower that
 * reads, or a new sequencer after a fail-over, indexes whatever the last writer left, under
 * an advisory lock. Until a block this process committed is indexed, its transactions are
 * found in memory, so an id lookup (admission) is exact and never waits for the index.
 */
export class PostgresDerivedIndex {
  /** Blocks this process committed that it does not know to be indexed, in height order. */
  private pending: IndexRows[] = [];
  private readonly pendingById = new Map<string, number>();
  private readonly pendingByHash = new Map<string, number>();
  /** Every block up to this height is indexed (as far as this process knows). */
  private known = 0;
  /** Index transactions of this process, one after the other. */
  private writing: Promise<unknown> = Promise.resolve();
  private writeBehindDue = false;
  private closed = false;
  /** Index transactions this process committed. */
  private writes = 0;

  constructor(private readonly inTransaction: InTransaction, private readonly maxBehind = MAX_BLOCKS_BEHIND) {}

  /**
   * A block this process committed: indexed soon, found in memory until then. Resolves at
   * once, unless more than `maxBehind` blocks wait for the index: then once they no longer do.
   */
  async committed(rows: IndexRows): Promise<void> {
    this.pending.push(rows);
    for (const tx of rows.transactions) {
      this.pendingById.set(transactionKey(tx.sender, tx.id), tx.seq);
      this.pendingByHash.set(tx.hash, tx.seq);
    }
    this.writeBehind();
    if (this.pending.length > this.maxBehind) await this.caughtUp(rows.height - this.maxBehind);
  }

  /** The seq of a transaction this process committed and has not seen indexed. */
  pendingSeqOfId(sender: string, id: string): number | undefined {
    return this.pendingById.get(transactionKey(sender, id));
  }

  pendingSeqOfHash(hash: string): number | undefined {
    return this.pendingByHash.get(hash);
  }

  /** Whether every block up to `head` is indexed or held in memory: then a lookup of both is exact. */
  covers(head: number): boolean {
    if (this.known >= head) return true;
    const first = this.pending[0];
    const last = this.pending[this.pending.length - 1];
    return first !== undefined && last !== undefined && first.height <= this.known + 1 && last.height >= head;
  }

  /** A mark to pass to `learned` with what a statement sent now reads. */
  mark(): number {
    return this.writes;
  }

  /**
   * The database says every block up to `indexedHeight` is indexed. It is the authority:
   * a lower figure than this process knew means the index was emptied to be rebuilt (or
   * the database restored), and reads catch it up again; unless this process indexed more
   * since the statement that read it was sent (`asOf`, from `mark`): then it is only late.
   */
  learned(indexedHeight: number, asOf = this.writes): void {
    if (indexedHeight <= this.known) {
      if (asOf === this.writes) this.known = indexedHeight;
      return;
    }
    this.known = indexedHeight;
    // Dropped only now that the rows are visible to any later read: a lookup never misses both.
    const done = this.pending.filter((rows) => rows.height <= indexedHeight);
    this.pending = this.pending.filter((rows) => rows.height > indexedHeight);
    for (const rows of done) {
      for (const tx of rows.transactions) {
        const key = transactionKey(tx.sender, tx.id);
        if (this.pendingById.get(key) === tx.seq) this.pendingById.delete(key);
        if (this.pendingByHash.get(tx.hash) === tx.seq) this.pendingByHash.delete(tx.hash);
      }
    }
  }

  /** Resolves once every block up to `height` is indexed (by this process or another); rejects if the database fails. */
  async caughtUp(height: number): Promise<void> {
    while (this.known < height) await this.serially(() => this.indexTo(height));
  }

  /** Writes nothing more, once the transaction under way is done (what is left, the next opener indexes). */
  async close(): Promise<void> {
    this.closed = true;
    await this.writing.catch(() => undefined);
  }

  /**
   * Indexes what this process committed, a batch at a time, after whatever index
   * transaction is under way: blocks committed meanwhile join the next batch. A failure
   * (the database away) is left to the next commit or read to retry.
   */
  private writeBehind(): void {
    if (this.writeBehindDue || this.closed) return;
    this.writeBehindDue = true;
    this.serially(async () => {
      this.writeBehindDue = false;
      if (this.closed) return;
      const last = this.pending[this.pending.length - 1];
      if (last !== undefined && last.height > this.known) await this.indexTo(last.height);
    }).then(() => {
      const last = this.pending[this.pending.length - 1];
      if (last !== undefined && last.height > this.known) this.writeBehind();
    }, () => undefined);
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writing.then(work, work);
    this.writing = run.catch(() => undefined);
    return run;
  }

  /** One index transaction: the blocks after the database's indexed height, up to `target`, at most a batch. */
  private async indexTo(target: number): Promise<void> {
    const indexed = await this.inTransaction(async (client) => {
      await endIfFrozen(client);
      await client.query('SELECT pg_advisory_xact_lock($1)', [INDEX_LOCK]);
      const from = Number((await client.query<{ value: string }>("SELECT value FROM meta WHERE key = 'indexed_height'")).rows[0]?.value ?? 0);
      if (from >= target) return from;
      const batch = await this.rowsOf(client, from, Math.min(target, from + BLOCKS_PER_BATCH));
      if (batch.length === 0) return from;
      await insertIndexRows(client, batch);
      const to = batch[batch.length - 1]!.height;
      await client.query("UPDATE meta SET value = $1 WHERE key = 'indexed_height'", [String(to)]);
      return to;
    });
    this.writes += 1;
    if (indexed < target && indexed <= this.known) throw new Error(`the derived index cannot reach block ${target}: the block log ends at ${indexed}`);
    this.learned(indexed);
  }

  /** The rows of blocks from + 1 … to, in order, from memory where this process has them and from the log otherwise; stops at a block the log does not hold. */
  private async rowsOf(client: pg.PoolClient, from: number, to: number): Promise<IndexRows[]> {
    const inMemory = new Map(this.pending.filter((rows) => rows.height > from && rows.height <= to).map((rows) => [rows.height, rows]));
    const missing: number[] = [];
    for (let height = from + 1; height <= to; height += 1) if (!inMemory.has(height)) missing.push(height);
    if (missing.length > 0) {
      const { rows } = await client.query<{ height: number; record: Buffer }>('SELECT height, record FROM blocks WHERE height = ANY($1)', [missing]);
      for (const row of rows) inMemory.set(row.height, indexRowsOfRecord(new BlockRecordView(row.height, row.record)));
    }
    const batch: IndexRows[] = [];
    for (let height = from + 1; height <= to && inMemory.has(height); height += 1) batch.push(inMemory.get(height)!);
    return batch;
  }
}

/**
 * A batch's rows in bulk, each table's in its key order: consecutive inserts land on the
 * same B-tree pages (hashes are random; in arrival order nearly every insert is elsewhere).
 * A row already there is left (the index is derived: a chain that repeats an id must not
 * stop it).
 */
async function insertIndexRows(client: pg.PoolClient, batch: readonly IndexRows[]): Promise<void> {
  const transactions = batch.flatMap((rows) => rows.transactions).sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
  if (transactions.length > 0) {
    await client.query(
      `INSERT INTO transaction_index (seq, hash, sender, client_id)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [transactions.map((tx) => tx.seq), transactions.map((tx) => tx.hash), transactions.map((tx) => tx.sender), transactions.map((tx) => tx.id)],
    );
  }
  const entries = batch.flatMap((rows) => rows.entries).sort(compareEntryKeys);
  if (entries.length > 0) {
    await client.query(
      `INSERT INTO account_entries (account, seq, n, available_after, held_after)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::int[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
      [entries.map((r) => r.account), entries.map((r) => r.seq), entries.map((r) => r.n), entries.map((r) => r.available_after), entries.map((r) => r.held_after)],
    );
  }
}

function compareEntryKeys(a: EntryRow, b: EntryRow): number {
  if (a.account !== b.account) return a.account < b.account ? -1 : 1;
  return a.seq - b.seq || a.n - b.n;
}
