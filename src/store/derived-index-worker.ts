import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { BlockRecordView } from './block-record.js';
import { entryRowsOf } from './entries-column.js';
import { seqOf, type EntryRow } from './rows.js';

/**
 * Builds the derived indexes of a SQLite ledger on its own thread (the second core): each
 * account's history, and transactions by hash and by sender and id. The sequencer's commit
 * then writes one row per block (its record in the block log), and no index row. It reads the ledger
 * through a read-only connection and writes the index file in bulk, recording how far it
 * got in the same transaction; whatever it had not written when the process stopped, it
 * writes at the next start. A wake-up message means "the ledger grew": the worker lets
 * blocks gather for a few milliseconds and indexes them together (a busy node writes many
 * small blocks, and one index transaction per block would cost the second core more than
 * the node's signature checks), unless the message says a reader is waiting: then at once.
 */
export interface DerivedIndexWorkerData {
  ledgerPath: string;
  indexPath: string;
  /** The ledger's own identity (a random id in its meta table): an index of another ledger is rebuilt. */
  ledgerId: string;
}

/** From the worker: every block up to `indexed` is in the index. */
export type DerivedIndexMessage = { indexed: number };
/** To the worker: the ledger grew; `urgent` when a reader waits for it. */
export type DerivedIndexWakeUp = { urgent: boolean };

/** Blocks per index transaction: large enough to write in bulk, small enough to report progress often. */
const BLOCKS_PER_BATCH = 32;
/** How long new blocks gather before they are indexed, when no reader waits for them. */
const GATHER_MS = 200;

const { ledgerPath, indexPath, ledgerId } = workerData as DerivedIndexWorkerData;

const index = new Database(indexPath);
index.pragma('journal_mode = WAL');
// Derived data: a write lost to a power cut is redone from the ledger at the next start.
index.pragma('synchronous = NORMAL');
index.pragma('cache_size = -65536');
/** The index file's layout; a file of another layout is dropped and rebuilt (it is derived). */
const LAYOUT = 3;
if (index.pragma('user_version', { simple: true }) !== LAYOUT) {
  index.exec(`
    DROP TABLE IF EXISTS meta;
    DROP TABLE IF EXISTS account_entries;
    DROP TABLE IF EXISTS transaction_hashes;
    DROP TABLE IF EXISTS transaction_ids;
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE account_entries (
      account TEXT NOT NULL, seq INTEGER NOT NULL, n INTEGER NOT NULL, available_after TEXT NOT NULL, held_after TEXT NOT NULL,
      PRIMARY KEY (account, seq, n)) WITHOUT ROWID;
    CREATE TABLE transaction_hashes (hash TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE transaction_ids (sender TEXT NOT NULL, client_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (sender, client_id)) WITHOUT ROWID;
    PRAGMA user_version = ${LAYOUT};`);
}

const getMeta = index.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
const setMeta = index.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const insertEntry = index.prepare('INSERT OR REPLACE INTO account_entries (account, seq, n, available_after, held_after) VALUES (?, ?, ?, ?, ?)');
const insertHash = index.prepare('INSERT OR REPLACE INTO transaction_hashes (hash, seq) VALUES (?, ?)');
const insertId = index.prepare('INSERT OR REPLACE INTO transaction_ids (sender, client_id, seq) VALUES (?, ?, ?)');

function clear(): void {
  index.transaction(() => {
    index.exec('DELETE FROM account_entries; DELETE FROM transaction_hashes; DELETE FROM transaction_ids;');
    setMeta.run('ledger', ledgerId);
    setMeta.run('indexed_height', '0');
  })();
}

if (getMeta.get('ledger')?.value !== ledgerId) clear();

const ledger = new Database(ledgerPath, { readonly: true, fileMustExist: true });
const ledgerHead = ledger.prepare<[], { height: number | null }>('SELECT max(height) AS height FROM blocks');
const records = ledger.prepare<[number, number], { height: number; record: Buffer }>('SELECT height, record FROM blocks WHERE height > ? AND height <= ? ORDER BY height');

let indexed = Number(getMeta.get('indexed_height')?.value ?? 0);
// An index ahead of its ledger (a ledger file restored from an older copy) is rebuilt.
if (indexed > (ledgerHead.get()?.height ?? 0)) {
  clear();
  indexed = 0;
}

/** Indexes every block the ledger holds beyond what is indexed, a batch per index transaction. */
function catchUp(): void {
  const head = ledgerHead.get()?.height ?? 0;
  while (indexed < head) {
    const to = Math.min(head, indexed + BLOCKS_PER_BATCH);
    writeBatch(indexed, to);
    indexed = to;
    parentPort!.postMessage({ indexed } satisfies DerivedIndexMessage);
  }
}

/**
 * A batch's index rows, gathered before they are written, by key: a later row for a key
 * replaces an earlier one, as INSERT OR REPLACE would in arrival order.
 */
interface BatchRows {
  /** Each account's entries, in the order they came: their key order (seq, n). */
  entries: Map<string, EntryRow[]>;
  seqOfHash: Map<string, number>;
  /** Each sender's transaction ids. */
  seqOfId: Map<string, Map<string, number>>;
}

function writeBatch(after: number, to: number): void {
  const rows: BatchRows = { entries: new Map(), seqOfHash: new Map(), seqOfId: new Map() };
  // The ledger and the index are separate files: reading one while writing the other is safe.
  for (const { height, record } of records.iterate(after, to)) gather(new BlockRecordView(height, record), rows);
  // Written in key order: consecutive inserts land on the same B-tree pages, where in
  // arrival order (hashes are random) nearly every insert walks to other pages. About a
  // quarter of the index thread's time, measured; sorting the keys (not the rows) costs less than it saves.
  index.transaction(() => {
    for (const account of [...rows.entries.keys()].sort()) {
      for (const row of rows.entries.get(account)!) insertEntry.run(row.account, row.seq, row.n, row.available_after, row.held_after);
    }
    for (const hash of [...rows.seqOfHash.keys()].sort()) insertHash.run(hash, rows.seqOfHash.get(hash)!);
    for (const sender of [...rows.seqOfId.keys()].sort()) {
      const seqOfId = rows.seqOfId.get(sender)!;
      for (const id of [...seqOfId.keys()].sort()) insertId.run(sender, id, seqOfId.get(id)!);
    }
    setMeta.run('indexed_height', String(to));
  })();
}

function gather(view: BlockRecordView, rows: BatchRows): void {
  addEntries(rows, entryRowsOf(seqOf(view.height, 0), view.entries));
  for (let position = 0; position < view.count; position += 1) {
    const tx = view.transaction(position);
    const seq = seqOf(view.height, position);
    rows.seqOfHash.set(tx.hash, seq);
    let ids = rows.seqOfId.get(tx.sender);
    if (ids === undefined) rows.seqOfId.set(tx.sender, (ids = new Map()));
    ids.set(tx.id, seq);
    // An entry's seq is (height, index) with index = position + 1.
    addEntries(rows, entryRowsOf(seq + 1, tx.entries));
  }
}

function addEntries(rows: BatchRows, entries: readonly EntryRow[]): void {
  for (const row of entries) {
    const account = rows.entries.get(row.account);
    if (account === undefined) rows.entries.set(row.account, [row]);
    else account.push(row);
  }
}

let gathering: NodeJS.Timeout | null = null;

function wokenUp(message: DerivedIndexWakeUp): void {
  if (message.urgent) {
    if (gathering !== null) clearTimeout(gathering);
    gathering = null;
    catchUp();
  } else {
    gathering ??= setTimeout(() => {
      gathering = null;
      catchUp();
    }, GATHER_MS);
  }
}

parentPort!.postMessage({ indexed } satisfies DerivedIndexMessage);
catchUp();
parentPort!.on('message', wokenUp);
