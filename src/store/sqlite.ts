import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { comparePositions, type EntryRecord, type EventPosition, type EventRecord, type SignedBlock } from '../chain/index.js';
import { transactionKey, type Genesis } from '../core/index.js';
import { blockRecordBytes, RecentRecords, recordEvents, recordHistoryLine, storedTransactionOf } from './block-log.js';
import { BlockRecordView, encodeBlockRecord, type TransactionRecord } from './block-record.js';
import { entryRowsOf } from './entries-column.js';
import { hashPrefixRange, BLOCKS_PAGE, decodeBlock, decodeEntry, historyBounds, POSITIONS_PER_BLOCK, positionOf, seqOf, type BlockRow } from './rows.js';
import { DerivedIndex, derivedIndexPath } from './derived-index.js';
import { SqliteWriter } from './sqlite-writer.js';
import { assertChainFormat, type BlockWrite, type HistoryLine, type HistoryQuery, type Snapshot, type StateRow, type Store, type StoredBlock, type StoredTransaction } from './types.js';

/** Versioned schema changes; each runs once, in order, inside a transaction. */
const MIGRATIONS: readonly (string | ((db: Database.Database) => void))[] = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE blocks (height INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, timestamp_ms INTEGER NOT NULL, header TEXT NOT NULL, signatures TEXT NOT NULL);
   CREATE INDEX blocks_time ON blocks (timestamp_ms);
   CREATE TABLE transactions (
     seq INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, sender TEXT NOT NULL, client_id TEXT NOT NULL,
     valid_until_ms INTEGER NOT NULL, envelope TEXT NOT NULL, result TEXT NOT NULL,
     signers TEXT NOT NULL, accounts TEXT NOT NULL, parties TEXT NOT NULL,
     UNIQUE (sender, client_id));
   CREATE TABLE account_transactions (account TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (account, seq)) WITHOUT ROWID;
   CREATE TABLE state (kind TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;`,
  // Single-use signed requests, remembered until their timestamp's window closes.
  `CREATE TABLE request_claims (digest TEXT PRIMARY KEY, expires_at_ms INTEGER NOT NULL) WITHOUT ROWID;
   CREATE INDEX request_claims_expiry ON request_claims (expires_at_ms);`,
  // Chain format 2: visibility comes from what is signed, not from stored party lists; domain
  // events by position; each account's history as entries with its balances after each one.
  `DROP TABLE account_transactions;
   ALTER TABLE transactions DROP COLUMN accounts;
   ALTER TABLE transactions DROP COLUMN parties;
   ALTER TABLE transactions ADD COLUMN events TEXT NOT NULL DEFAULT '{"events":[]}';
   ALTER TABLE blocks ADD COLUMN events TEXT NOT NULL DEFAULT '[]';
   CREATE TABLE account_entries (
     account TEXT NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL, available_after TEXT NOT NULL, held_after TEXT NOT NULL,
     PRIMARY KEY (account, seq, n)) WITHOUT ROWID;`,
  // History entries as a column of the row they belong to, written with the block; the
  // per-account index is derived from them behind the commit path, in a file of its own.
  `ALTER TABLE transactions ADD COLUMN entries TEXT NOT NULL DEFAULT '[]';
   ALTER TABLE blocks ADD COLUMN entries TEXT NOT NULL DEFAULT '[]';
   CREATE INDEX account_entries_seq ON account_entries (seq);
   UPDATE transactions SET entries = (SELECT json_group_array(json_array(e.n, e.account, e.available_after, e.held_after) ORDER BY e.n, e.account) FROM account_entries e WHERE e.seq = transactions.seq + 1)
     WHERE EXISTS (SELECT 1 FROM account_entries e WHERE e.seq = transactions.seq + 1);
   UPDATE blocks SET entries = (SELECT json_group_array(json_array(e.n, e.account, e.available_after, e.held_after) ORDER BY e.n, e.account) FROM account_entries e WHERE e.seq = blocks.height * ${POSITIONS_PER_BLOCK})
     WHERE EXISTS (SELECT 1 FROM account_entries e WHERE e.seq = blocks.height * ${POSITIONS_PER_BLOCK});
   DROP TABLE account_entries;`,
  // Transactions by hash become a derived index too (the hash is random: its B-tree cost every
  // block a write all over the file). A hash names its sender and id, which stay unique here.
  `CREATE TABLE transactions_keyed (
     seq INTEGER PRIMARY KEY, hash TEXT NOT NULL, sender TEXT NOT NULL, client_id TEXT NOT NULL,
     valid_until_ms INTEGER NOT NULL, envelope TEXT NOT NULL, result TEXT NOT NULL, signers TEXT NOT NULL,
     events TEXT NOT NULL DEFAULT '{"events":[]}', entries TEXT NOT NULL DEFAULT '[]',
     UNIQUE (sender, client_id));
   INSERT INTO transactions_keyed SELECT seq, hash, sender, client_id, valid_until_ms, envelope, result, signers, events, entries FROM transactions;
   DROP TABLE transactions;
   ALTER TABLE transactions_keyed RENAME TO transactions;`,
  // The block log: a block is one row, its transactions one record in it (block-record.ts);
  // transactions by id and by hash become derived indexes, like each account's history.
  toBlockLog,
];

/** Writes each block's transaction rows, events and entries as its record, then drops the rows. */
function toBlockLog(db: Database.Database): void {
  db.exec("ALTER TABLE blocks ADD COLUMN record BLOB NOT NULL DEFAULT x''");
  const heights = db.prepare<[], number>('SELECT height FROM blocks ORDER BY height').pluck().all();
  const blockColumns = db.prepare<[number], { events: string; entries: string }>('SELECT events, entries FROM blocks WHERE height = ?');
  const rows = db.prepare<[number, number], { seq: number } & Omit<TransactionRecord, 'id'> & { client_id: string }>(
    'SELECT seq, hash, sender, client_id, envelope, result, signers, events, entries FROM transactions WHERE seq >= ? AND seq < ? ORDER BY seq',
  );
  const setRecord = db.prepare('UPDATE blocks SET record = ? WHERE height = ?');
  for (const height of heights) {
    const transactions = rows.all(seqOf(height, 0), seqOf(height + 1, 0)).map((row, position) => {
      if (row.seq !== seqOf(height, position)) throw new Error(`cannot convert block ${height} to the block log: it has no transaction at position ${position}`);
      return { hash: row.hash, sender: row.sender, id: row.client_id, envelope: row.envelope, result: row.result, signers: row.signers, events: row.events, entries: row.entries };
    });
    const { events, entries } = blockColumns.get(height)!;
    setRecord.run(encodeBlockRecord({ events, entries, transactions }), height);
  }
  db.exec('DROP TABLE transactions; ALTER TABLE blocks DROP COLUMN events; ALTER TABLE blocks DROP COLUMN entries;');
}

/**
 * Blocks whose record is at least this large are written by the writer thread, smaller
 * ones here at once: a thread hop costs more than writing a small block (and a node that
 * only ever writes small blocks never starts the thread).
 */
const WRITER_THREAD_FROM_BYTES = 64 * 1024;

/** The block columns of a header read (the record is read on its own: it holds the whole block). */
const BLOCK_COLUMNS = 'height, hash, timestamp_ms, header, signatures';

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a block
 * is on disk before commitBlock returns and survives a power cut or a kill -9. Large
 * blocks are written by a thread of their own (sqlite-writer.ts), the rest here. A block
 * is one row (its header and signatures, and its transactions as one record: the block
 * log); every other way in (transactions by id or hash, each account's history) is an
 * index derived from the log behind the commit path.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  /** One process owns the file: it is always the sequencer. */
  readonly lease = null;
  private readonly db: Database.Database;
  private readonly statements;
  /** Transactions by id and hash, and account history, derived behind the commit path; null when the file is opened read-only. */
  private readonly derivedIndex: DerivedIndex | null;
  /** The highest block written through this store: what a read of the derived indexes waits for. */
  private headHeight: number;
  /** The head when this store was opened: blocks up to it may not be indexed yet (the index catches up at start). */
  private readonly openedHeight: number;
  /** Transactions written since the derived index last reported, by sender/id key: found here until it has them. */
  private readonly unindexed = new Map<string, number>();
  private readonly unindexedByBlock: { height: number; keys: string[] }[] = [];
  private readonly recent = new RecentRecords();
  /** Writes large blocks on a thread of its own; started at the first one. */
  private writer: SqliteWriter | null = null;

  constructor(readonly path: string, options: { readonly?: boolean } = {}) {
    const readonly = options.readonly === true;
    if (!readonly) mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { readonly, fileMustExist: readonly });
    this.refuseOtherFormats();
    if (!readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.migrate();
    }
    this.db.pragma('cache_size = -65536');
    this.statements = this.prepare();
    this.headHeight = this.statements.head.get()?.height ?? 0;
    this.openedHeight = this.headHeight;
    this.derivedIndex = readonly ? null : new DerivedIndex({ ledgerPath: path, indexPath: derivedIndexPath(path), ledgerId: this.ledgerId() }, (indexed) => this.indexed(indexed));
  }

  /** A random id created with the file: derived indexes built for another ledger file are not reused. */
  private ledgerId(): string {
    this.statements.insertMetaIfAbsent.run('ledger_id', randomBytes(16).toString('hex'));
    return this.statements.meta.get('ledger_id')!.value;
  }

  /** A file written by another chain format is refused before any migration touches it. */
  private refuseOtherFormats(): void {
    const hasMeta = this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
    if (!hasMeta) return;
    const row = this.db.prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'genesis'").get();
    try {
      assertChainFormat(row?.value);
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    for (const [index, migration] of MIGRATIONS.entries()) {
      if (index < version) continue;
      this.db.transaction(() => {
        if (typeof migration === 'string') this.db.exec(migration);
        else migration(this.db);
        this.db.pragma(`user_version = ${index + 1}`);
      })();
    }
  }

  private prepare() {
    const db = this.db;
    return {
      meta: db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      insertMetaIfAbsent: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      forgetClaims: db.prepare('DELETE FROM request_claims WHERE expires_at_ms < ?'),
      claim: db.prepare('INSERT INTO request_claims (digest, expires_at_ms) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING'),
      head: db.prepare<[], BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM blocks ORDER BY height DESC LIMIT 1`),
      block: db.prepare<[number], BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE height = ?`),
      blocks: db.prepare<[number, number], BlockRow>(`SELECT ${BLOCK_COLUMNS} FROM blocks WHERE height > ? ORDER BY height LIMIT ?`),
      blockTime: db.prepare<[number], number>('SELECT timestamp_ms FROM blocks WHERE height = ?').pluck(),
      record: db.prepare<[number], Buffer>('SELECT record FROM blocks WHERE height = ?').pluck(),
      // Without the derived indexes (a file opened read-only): a scan, for tools, never for the node.
      allRecords: db.prepare<[], { height: number; record: Buffer }>('SELECT height, record FROM blocks ORDER BY height'),
      heightAt: db.prepare<[number], { height: number | null }>('SELECT max(height) AS height FROM blocks WHERE timestamp_ms <= ?'),
      insertBlock: db.prepare('INSERT INTO blocks (height, hash, timestamp_ms, header, signatures, record) VALUES (?, ?, ?, ?, ?, ?)'),
      upsertState: db.prepare('INSERT INTO state (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body'),
      stateRows: db.prepare<[], { kind: Snapshot['rows'][number]['table']; id: string; body: string }>('SELECT kind, id, body FROM state'),
    };
  }

  private readonly writeBlock = (write: BlockWrite, record: Buffer): void => {
    const { block } = write;
    const s = this.statements;
    s.insertBlock.run(block.header.height, block.hash, block.header.timestampMs, JSON.stringify(block.header), JSON.stringify(block.signatures), record);
    if (write.snapshot !== null) {
      for (const row of write.snapshot) s.upsertState.run(row.table, row.id, row.body);
      s.setMeta.run('state_height', String(block.header.height));
    }
  };

  async sharedSecret(name: string): Promise<Buffer> {
    const key = `secret:${name}`;
    this.statements.insertMetaIfAbsent.run(key, randomBytes(32).toString('hex'));
    return Buffer.from(this.statements.meta.get(key)!.value, 'hex');
  }

  async claimRequest(digest: string, expiresAtMs: number): Promise<boolean> {
    this.statements.forgetClaims.run(Date.now());
    return this.statements.claim.run(digest, expiresAtMs).changes === 1;
  }

  async genesis(): Promise<Genesis | null> {
    const row = this.statements.meta.get('genesis');
    return row === undefined ? null : (JSON.parse(row.value) as Genesis);
  }

  async saveGenesis(genesis: Genesis): Promise<void> {
    this.statements.setMeta.run('genesis', JSON.stringify(genesis));
  }

  async head(): Promise<SignedBlock | null> {
    const row = this.statements.head.get();
    return row === undefined ? null : decodeBlock(row);
  }

  async commitBlock(write: BlockWrite): Promise<void> {
    if (this.derivedIndex === null) throw new Error('this ledger file is open read-only');
    const record = write.record ?? blockRecordBytes(write);
    // Blocks are committed one after another (each awaited), so the two ways never overlap.
    if (record.length < WRITER_THREAD_FROM_BYTES) this.db.transaction(this.writeBlock)(write, record);
    else await (this.writer ??= new SqliteWriter(this.path)).commit(write, record);
    const { height } = write.block.header;
    this.headHeight = height;
    if (this.derivedIndex === null) return;
    const keys = write.transactions.map((tx) => transactionKey(tx.envelope.body.sender, tx.envelope.body.id));
    keys.forEach((key, position) => this.unindexed.set(key, seqOf(height, position)));
    this.unindexedByBlock.push({ height, keys });
    this.derivedIndex.advance();
  }

  /** The derived index holds every block up to `height`: what it holds is looked up there. */
  private indexed(height: number): void {
    while (this.unindexedByBlock.length > 0 && this.unindexedByBlock[0]!.height <= height) {
      const { keys } = this.unindexedByBlock.shift()!;
      for (const key of keys) this.unindexed.delete(key);
    }
  }

  async snapshot(): Promise<Snapshot> {
    return this.db.transaction(() => ({
      height: Number(this.statements.meta.get('state_height')?.value ?? 0),
      rows: this.statements.stateRows.all().map((row) => ({ table: row.kind, id: row.id, body: row.body })),
    }))();
  }

  async saveSnapshot(height: number, rows: readonly StateRow[]): Promise<void> {
    this.db.transaction(() => {
      for (const row of rows) this.statements.upsertState.run(row.table, row.id, row.body);
      this.statements.setMeta.run('state_height', String(height));
    })();
  }

  async block(height: number): Promise<SignedBlock | null> {
    const row = this.statements.block.get(height);
    return row === undefined ? null : decodeBlock(row);
  }

  async blocks(afterHeight: number, limit: number): Promise<SignedBlock[]> {
    return this.statements.blocks.all(afterHeight, limit).map(decodeBlock);
  }

  async heightAt(timeMs: number): Promise<number> {
    return this.statements.heightAt.get(timeMs)?.height ?? 0;
  }

  /** A block's record, decoded lazily; recent ones are kept. Undefined for a height not written. */
  private record(height: number): BlockRecordView | undefined {
    const kept = this.recent.kept(height);
    if (kept !== undefined) return kept;
    const bytes = this.statements.record.get(height);
    return bytes === undefined ? undefined : this.recent.keep(new BlockRecordView(height, bytes));
  }

  async blockTransactions(height: number): Promise<StoredTransaction[]> {
    const view = this.record(height);
    return view === undefined ? [] : [...view.transactions()].map((tx, position) => storedTransactionOf(height, position, tx));
  }

  /** The transaction at a seq, if the log has one there that `matches` (a derived index decides nothing). */
  private transactionAt(seq: number, matches: (tx: TransactionRecord) => boolean): StoredTransaction | null {
    const { height, index: position } = positionOf(seq, 0);
    const view = this.record(height);
    if (view === undefined || position >= view.count) return null;
    const tx = view.transaction(position);
    return matches(tx) ? storedTransactionOf(height, position, tx) : null;
  }

  /** Every transaction of the log that `matches`, in chain order: a scan, for a file opened read-only. */
  private scan(matches: (tx: TransactionRecord) => boolean, limit: number): StoredTransaction[] {
    const found: StoredTransaction[] = [];
    for (const row of this.statements.allRecords.iterate()) {
      const view = new BlockRecordView(row.height, row.record);
      for (let position = 0; position < view.count && found.length < limit; position += 1) {
        const tx = view.transaction(position);
        if (matches(tx)) found.push(storedTransactionOf(row.height, position, tx));
      }
    }
    return found;
  }

  async transactionsByHashPrefix(prefix: string, limit: number): Promise<StoredTransaction[]> {
    const { low, high } = hashPrefixRange(prefix);
    const inRange = (tx: TransactionRecord): boolean => tx.hash >= low && tx.hash < high;
    if (this.derivedIndex === null) return this.scan(inRange, Number.MAX_SAFE_INTEGER).sort((a, b) => (a.hash < b.hash ? -1 : 1)).slice(0, limit);
    const seqs = (await this.caughtUpIndex()).seqsOfHashRange(low, high, limit);
    return seqs.map((seq) => this.transactionAt(seq, inRange)).filter((tx) => tx !== null);
  }

  async transaction(hash: string): Promise<StoredTransaction | null> {
    const named = (tx: TransactionRecord): boolean => tx.hash === hash;
    if (this.derivedIndex === null) return this.scan(named, 1)[0] ?? null;
    const seq = (await this.caughtUpIndex()).seqOfHash(hash);
    return seq === undefined ? null : this.transactionAt(seq, named);
  }

  /**
   * Exact without waiting for the derived index (admission asks this for every
   * submission): what the index may not hold yet is in memory until it reports it has it.
   */
  async transactionById(sender: string, id: string): Promise<StoredTransaction | null> {
    const named = (tx: TransactionRecord): boolean => tx.sender === sender && tx.id === id;
    if (this.derivedIndex === null) return this.scan(named, 1)[0] ?? null;
    const recent = this.unindexed.get(transactionKey(sender, id));
    if (recent !== undefined) return this.transactionAt(recent, named);
    // A ledger begun by this store: until the index reports a block, everything written is in memory.
    if (this.openedHeight === 0 && this.derivedIndex.indexedHeight <= 0) return null;
    await this.derivedIndex.caughtUp(this.openedHeight);
    const seq = this.derivedIndex.seqOfId(sender, id);
    return seq === undefined ? null : this.transactionAt(seq, named);
  }

  async events(after: EventPosition | null, limit: number): Promise<EventRecord[]> {
    const found: EventRecord[] = [];
    for (let height = Math.max(1, after?.height ?? 1); found.length < limit; height += 1) {
      const timeMs = this.statements.blockTime.get(height);
      const view = this.record(height);
      if (timeMs === undefined || view === undefined) break;
      const fromIndex = after !== null && height === after.height ? after.index : 0;
      for (const event of recordEvents(view, timeMs, fromIndex, (v, position, t) => this.recent.transactionEvents(v, position, t))) {
        if (after === null || comparePositions(event, after) > 0) found.push(event);
        if (found.length >= limit) break;
      }
    }
    return found;
  }

  async accountHistory(account: string, query: HistoryQuery): Promise<HistoryLine[]> {
    const index = await this.caughtUpIndex();
    return index.history(account, historyBounds(query), query.limit).map((row) => {
      const entry = decodeEntry(row);
      return recordHistoryLine(account, entry, this.record(entry.height), this.statements.blockTime.get(entry.height));
    });
  }

  async *storedBlocks(afterHeight: number, options: { events?: boolean } = {}): AsyncIterable<StoredBlock> {
    for (let after = afterHeight; ; ) {
      const rows = this.statements.blocks.all(after, BLOCKS_PAGE);
      if (rows.length === 0) return;
      for (const row of rows) {
        const block = decodeBlock(row);
        // Read once, not kept: a pass over the chain would only push recent blocks out.
        const view = new BlockRecordView(row.height, this.statements.record.get(row.height)!);
        const transactions = [...view.transactions()].map((tx, position) => storedTransactionOf(row.height, position, tx));
        const events = options.events === true ? [...recordEvents(view, block.header.timestampMs, 0)] : undefined;
        yield { block, transactions, ...(events !== undefined && { events }) };
        after = row.height;
      }
    }
  }

  /**
   * Every history entry: from the index, once it holds every block written, so the
   * verifier checks what history queries answer; read-only (no index is kept), from the
   * records the index is built from, by position (each account's entries in order).
   */
  async *allEntries(): AsyncIterable<EntryRecord> {
    if (this.derivedIndex === null) {
      for (const row of this.statements.allRecords.iterate()) {
        const view = new BlockRecordView(row.height, row.record);
        for (const entry of entryRowsOf(seqOf(row.height, 0), view.entries)) yield decodeEntry(entry);
        for (let position = 0; position < view.count; position += 1) {
          for (const entry of entryRowsOf(seqOf(row.height, position + 1), view.transaction(position).entries)) yield decodeEntry(entry);
        }
      }
      return;
    }
    for (const row of (await this.caughtUpIndex()).all()) yield decodeEntry(row);
  }

  /** The derived indexes once they hold every block written so far. */
  private async caughtUpIndex(): Promise<DerivedIndex> {
    if (this.derivedIndex === null) throw new Error('account history is not available on a ledger file opened read-only (its derived index is kept by the node that writes it)');
    await this.derivedIndex.caughtUp(this.headHeight);
    return this.derivedIndex;
  }

  async close(): Promise<void> {
    await this.writer?.close();
    await this.derivedIndex?.close();
    this.db.close();
  }
}
