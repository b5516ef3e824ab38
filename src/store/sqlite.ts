import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type EntryRecord, type EventPosition, type EventRecord, type SignedBlock } from '../chain/index.js';
import type { Genesis } from '../core/index.js';
import { encodeEntriesColumn, entryRowsOf } from './entries-column.js';
import { hashPrefixRange, BLOCKS_PAGE, decodeBlock, decodeEntry, decodeTransaction, encodeBlockEvents, encodeTransactionEvents, eventsByIndex, expandEvents, historyBounds, historyLineOf, POSITIONS_PER_BLOCK, readEvents, seqOf, type BlockRow, type TransactionEventsRow, type TransactionRow } from './rows.js';
import { DerivedIndex, derivedIndexPath } from './derived-index.js';
import { assertChainFormat, type BlockWrite, type HistoryLine, type HistoryQuery, type Snapshot, type StateRow, type Store, type StoredBlock, type StoredTransaction } from './types.js';

/** Versioned schema changes; each runs once, in order, inside a transaction. */
const MIGRATIONS: readonly string[] = [
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
];

/**
 * The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a block
 * is on disk before commitBlock returns and survives a power cut or a kill -9.
 */
export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  /** One process owns the file: it is always the sequencer. */
  readonly lease = null;
  private readonly db: Database.Database;
  private readonly statements;
  /** Account history and transactions by hash, derived behind the commit path; null when the file is opened read-only. */
  private readonly derivedIndex: DerivedIndex | null;
  /** The highest block written through this store: what a read of the derived indexes waits for. */
  private headHeight: number;

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
    // Index pages stay in memory across blocks rather than being read back for every insert.
    this.db.pragma('cache_size = -65536');
    this.statements = this.prepare();
    this.headHeight = this.statements.head.get()?.height ?? 0;
    this.derivedIndex = readonly ? null : new DerivedIndex({ ledgerPath: path, indexPath: derivedIndexPath(path), ledgerId: this.ledgerId() });
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
    for (const [index, sql] of MIGRATIONS.entries()) {
      if (index < version) continue;
      this.db.transaction(() => {
        this.db.exec(sql);
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
      head: db.prepare<[], BlockRow>('SELECT * FROM blocks ORDER BY height DESC LIMIT 1'),
      block: db.prepare<[number], BlockRow>('SELECT * FROM blocks WHERE height = ?'),
      blocks: db.prepare<[number, number], BlockRow>('SELECT * FROM blocks WHERE height > ? ORDER BY height LIMIT ?'),
      heightAt: db.prepare<[number], { height: number | null }>('SELECT max(height) AS height FROM blocks WHERE timestamp_ms <= ?'),
      insertBlock: db.prepare('INSERT INTO blocks (height, hash, timestamp_ms, header, signatures, events, entries) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      insertTransaction: db.prepare('INSERT INTO transactions (seq, hash, sender, client_id, valid_until_ms, envelope, result, signers, events, entries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      upsertState: db.prepare('INSERT INTO state (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body'),
      stateRows: db.prepare<[], { kind: Snapshot['rows'][number]['table']; id: string; body: string }>('SELECT kind, id, body FROM state'),
      blockTransactions: db.prepare<[number, number], TransactionRow>('SELECT * FROM transactions WHERE seq >= ? AND seq < ? ORDER BY seq'),
      blockRowEvents: db.prepare<[number, number], { height: number; timestamp_ms: number; events: string }>('SELECT height, timestamp_ms, events FROM blocks WHERE height >= ? ORDER BY height LIMIT ?'),
      blockRowEventsAt: db.prepare<[number], { height: number; timestamp_ms: number; events: string }>('SELECT height, timestamp_ms, events FROM blocks WHERE height = ?'),
      transactionEvents: db.prepare<[number, number], TransactionEventsRow>('SELECT seq, hash, sender, client_id, signers, events FROM transactions WHERE seq >= ? AND seq < ? ORDER BY seq'),
      transactionEventsAt: db.prepare<[number], TransactionEventsRow>('SELECT seq, hash, sender, client_id, signers, events FROM transactions WHERE seq = ?'),
      transactionAt: db.prepare<[number], TransactionRow>('SELECT * FROM transactions WHERE seq = ?'),
      // Without the index (a file opened read-only): a scan, for tools, never for the node.
      scanForHash: db.prepare<[string], TransactionRow>('SELECT * FROM transactions WHERE hash = ?'),
      scanForHashRange: db.prepare<[string, string, number], TransactionRow>('SELECT * FROM transactions WHERE hash >= ? AND hash < ? ORDER BY hash LIMIT ?'),
      transactionById: db.prepare<[string, string], TransactionRow>('SELECT * FROM transactions WHERE sender = ? AND client_id = ?'),
      blockEntries: db.prepare<[], { height: number; entries: string }>("SELECT height, entries FROM blocks WHERE entries <> '[]' ORDER BY height"),
      transactionEntries: db.prepare<[], { seq: number; entries: string }>("SELECT seq, entries FROM transactions WHERE entries <> '[]' ORDER BY seq"),
    };
  }

  private readonly writeBlock = (write: BlockWrite): void => {
    const { block, records } = write;
    const s = this.statements;
    const events = eventsByIndex(records.events);
    const entries = eventsByIndex(records.entries);
    s.insertBlock.run(
      block.header.height, block.hash, block.header.timestampMs, JSON.stringify(block.header), JSON.stringify(block.signatures),
      encodeBlockEvents(events.get(0) ?? []), encodeEntriesColumn(entries.get(0) ?? []),
    );
    for (const tx of write.transactions) {
      const { body } = tx.envelope;
      s.insertTransaction.run(
        seqOf(tx.height, tx.position), tx.hash, body.sender, body.id, body.validUntilMs, tx.canonicalEnvelope, JSON.stringify(tx.result), JSON.stringify(tx.signers),
        encodeTransactionEvents(events.get(tx.position + 1) ?? [], body.reference, body.memo), encodeEntriesColumn(entries.get(tx.position + 1) ?? []),
      );
    }
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
    this.db.transaction(this.writeBlock)(write);
    this.headHeight = write.block.header.height;
    this.derivedIndex?.advance();
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

  async blockTransactions(height: number): Promise<StoredTransaction[]> {
    return this.statements.blockTransactions.all(seqOf(height, 0), seqOf(height + 1, 0)).map(decodeTransaction);
  }

  async transactionsByHashPrefix(prefix: string, limit: number): Promise<StoredTransaction[]> {
    const { low, high } = hashPrefixRange(prefix);
    if (this.derivedIndex === null) return this.statements.scanForHashRange.all(low, high, limit).map(decodeTransaction);
    const seqs = (await this.caughtUpIndex()).seqsOfHashRange(low, high, limit);
    return seqs.map((seq) => this.indexedTransaction(seq, (hash) => hash >= low && hash < high)).filter((tx) => tx !== null);
  }

  async transaction(hash: string): Promise<StoredTransaction | null> {
    if (this.derivedIndex === null) {
      const row = this.statements.scanForHash.get(hash);
      return row === undefined ? null : decodeTransaction(row);
    }
    const seq = (await this.caughtUpIndex()).seqOfHash(hash);
    return seq === undefined ? null : this.indexedTransaction(seq, (found) => found === hash);
  }

  /** The transaction a derived index points at, if its row says what the index does (an index decides nothing). */
  private indexedTransaction(seq: number, matches: (hash: string) => boolean): StoredTransaction | null {
    const row = this.statements.transactionAt.get(seq);
    return row === undefined || !matches(row.hash) ? null : decodeTransaction(row);
  }

  async transactionById(sender: string, id: string): Promise<StoredTransaction | null> {
    const row = this.statements.transactionById.get(sender, id);
    return row === undefined ? null : decodeTransaction(row);
  }

  async events(after: EventPosition | null, limit: number): Promise<EventRecord[]> {
    return readEvents({
      blocks: async (fromHeight, count) => this.statements.blockRowEvents.all(fromHeight, count),
      transactions: async (fromSeq, toSeq) => this.statements.transactionEvents.all(fromSeq, toSeq),
    }, after, limit);
  }

  async accountHistory(account: string, query: HistoryQuery): Promise<HistoryLine[]> {
    const index = await this.caughtUpIndex();
    return index.history(account, historyBounds(query), query.limit).map((row) => {
      const entry = decodeEntry(row);
      const tx = entry.index === 0 ? undefined : this.statements.transactionEventsAt.get(seqOf(entry.height, entry.index - 1));
      return historyLineOf(account, entry, this.statements.blockRowEventsAt.get(entry.height), tx);
    });
  }

  async *storedBlocks(afterHeight: number, options: { events?: boolean } = {}): AsyncIterable<StoredBlock> {
    for (let after = afterHeight; ; ) {
      const rows = this.statements.blocks.all(after, BLOCKS_PAGE);
      if (rows.length === 0) return;
      for (const row of rows) {
        const range = [seqOf(row.height, 0), seqOf(row.height + 1, 0)] as const;
        const transactions = this.statements.blockTransactions.all(...range).map(decodeTransaction);
        const events = options.events === true ? expandEvents([{ height: row.height, timestamp_ms: row.timestamp_ms ?? 0, events: (row as BlockRow & { events: string }).events }], this.statements.transactionEvents.all(...range)) : undefined;
        yield { block: decodeBlock(row), transactions, ...(events !== undefined && { events }) };
        after = row.height;
      }
    }
  }

  /**
   * Every history entry: from the index, once it holds every block written, so the
   * verifier checks what history queries answer; read-only (no index is kept), from the
   * entries columns the index is built from, by position (each account's entries in order).
   */
  async *allEntries(): AsyncIterable<EntryRecord> {
    if (this.derivedIndex === null) {
      for (const row of this.statements.blockEntries.iterate()) for (const entry of entryRowsOf(seqOf(row.height, 0), row.entries)) yield decodeEntry(entry);
      for (const row of this.statements.transactionEntries.iterate()) for (const entry of entryRowsOf(row.seq + 1, row.entries)) yield decodeEntry(entry);
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
    await this.derivedIndex?.close();
    this.db.close();
  }
}
