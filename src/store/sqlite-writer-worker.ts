import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { StateRow } from './types.js';

/**
 * Writes a SQLite ledger's blocks on a thread of its own, so that the sequencer's thread
 * applies the next block while this one waits for the disk. One database transaction per
 * block (its row in the block log, and a snapshot when one is due), synchronous=FULL: the
 * reply comes once the block is on disk. Blocks arrive, and are written, in order.
 */
export interface SqliteWriterData {
  path: string;
}

export type SqliteWriterRequest =
  | { id: number; kind: 'block'; height: number; hash: string; timestampMs: number; header: string; signatures: string; record: Uint8Array; snapshot: readonly StateRow[] | null }
  | { id: number; kind: 'close' };

export type SqliteWriterReply = { id: number } | { id: number; error: string; code?: string };

const { path } = workerData as SqliteWriterData;
const db = new Database(path, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('cache_size = -65536');

const insertBlock = db.prepare('INSERT INTO blocks (height, hash, timestamp_ms, header, signatures, record) VALUES (?, ?, ?, ?, ?, ?)');
const upsertState = db.prepare('INSERT INTO state (kind, id, body) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body');
const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');

const writeBlock = db.transaction((request: Extract<SqliteWriterRequest, { kind: 'block' }>) => {
  insertBlock.run(request.height, request.hash, request.timestampMs, request.header, request.signatures, request.record);
  if (request.snapshot !== null) {
    for (const row of request.snapshot) upsertState.run(row.table, row.id, row.body);
    setMeta.run('state_height', String(request.height));
  }
});

parentPort!.on('message', (request: SqliteWriterRequest) => {
  if (request.kind === 'close') {
    db.close();
    parentPort!.postMessage({ id: request.id } satisfies SqliteWriterReply);
    parentPort!.close();
    return;
  }
  try {
    writeBlock(request);
    parentPort!.postMessage({ id: request.id } satisfies SqliteWriterReply);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    parentPort!.postMessage({ id: request.id, error: (error as Error).message, ...(typeof code === 'string' && { code }) } satisfies SqliteWriterReply);
  }
});
