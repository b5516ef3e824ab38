import { existsSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { DerivedIndexMessage, DerivedIndexWakeUp, DerivedIndexWorkerData } from './derived-index-worker.js';
import type { EntryRow } from './rows.js';
import { spawnWorker } from './spawn-worker.js';

/** Where a ledger file's derived indexes live: beside it, and safe to delete (they are rebuilt). */
export const derivedIndexPath = (ledgerPath: string): string => `${ledgerPath}.index`;

interface Waiter {
  height: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The derived indexes of a SQLite ledger (each account's history, transactions by hash and by sender and id),
 * kept in a file of their own by a worker thread (derived-index-worker.ts) behind the
 * commit path. Reads wait until the index holds every block the caller asks about, so a
 * read right after a receipt finds that receipt's transaction and entries, exactly as if
 * the index were written with the block.
 */
export class DerivedIndex {
  private readonly worker: Worker;
  private indexed = -1;
  private failure: Error | null = null;
  private waiters: Waiter[] = [];
  private reader: Database.Database | null = null;
  private statements: ReturnType<DerivedIndex['prepare']> | null = null;

  /** `onIndexed` hears each time the index holds more blocks, before any reader waiting for them. */
  constructor(private readonly data: DerivedIndexWorkerData, private readonly onIndexed: (height: number) => void = () => undefined) {
    this.worker = spawnWorker(import.meta.url, 'derived-index-worker', data);
    this.worker.unref();
    this.worker.on('message', (message: DerivedIndexMessage) => this.progress(message.indexed));
    this.worker.on('error', (error) => this.fail(new Error(`the derived index of ${data.ledgerPath} failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the derived index of ${data.ledgerPath} stopped (exit ${code})`)));
  }

  /** Every block up to this height is in the index (-1 until the worker first reports). */
  get indexedHeight(): number {
    return this.indexed;
  }

  /** The ledger grew: index what is new (soon, not at once: blocks gather into one index transaction). */
  advance(): void {
    this.wake(false);
  }

  /** Resolves once every block up to `height` is indexed; rejects if the index failed. */
  caughtUp(height: number): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.indexed >= height) return Promise.resolve();
    const waited = new Promise<void>((resolve, reject) => this.waiters.push({ height, resolve, reject }));
    this.wake(true);
    return waited;
  }

  /** An account's entries strictly before (beforeSeq, beforeN) with seq in [fromSeq, toSeq), newest first. */
  history(account: string, bounds: { beforeSeq: number; beforeN: number; fromSeq: number; toSeq: number }, limit: number): EntryRow[] {
    return this.read().history.all(account, bounds.beforeSeq, bounds.beforeN, bounds.fromSeq, bounds.toSeq, limit);
  }

  /** The seq of the transaction with this hash, if any. */
  seqOfHash(hash: string): number | undefined {
    return this.read().seqOfHash.get(hash)?.seq;
  }

  /** The seq of the transaction a sender sent under this id, if any. */
  seqOfId(sender: string, id: string): number | undefined {
    return this.read().seqOfId.get(sender, id)?.seq;
  }

  /** Seqs of up to `limit` transactions whose hashes lie in [low, high), in hash order. */
  seqsOfHashRange(low: string, high: string, limit: number): number[] {
    return this.read().seqsOfHashRange.all(low, high, limit).map((row) => row.seq);
  }

  /** Every entry, by account then position. */
  all(): IterableIterator<EntryRow> {
    return this.read().all.iterate();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the derived index is closed');
    this.reader?.close();
    await this.worker.terminate();
  }

  private wake(urgent: boolean): void {
    if (this.failure === null) this.worker.postMessage({ urgent } satisfies DerivedIndexWakeUp);
  }

  private progress(indexed: number): void {
    this.indexed = indexed;
    this.onIndexed(indexed);
    const due = this.waiters.filter((waiter) => waiter.height <= indexed);
    if (due.length === 0) return;
    this.waiters = this.waiters.filter((waiter) => waiter.height > indexed);
    for (const waiter of due) waiter.resolve();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(this.failure);
  }

  // Opened on first use: by then the worker has created the file and its tables.
  private read(): ReturnType<DerivedIndex['prepare']> {
    if (this.statements === null) {
      if (this.indexed < 0 || !existsSync(this.data.indexPath)) throw new Error('the derived index is not ready');
      this.reader = new Database(this.data.indexPath, { readonly: true, fileMustExist: true });
      this.statements = this.prepare(this.reader);
    }
    return this.statements;
  }

  private prepare(db: Database.Database) {
    return {
      history: db.prepare<[string, number, number, number, number, number], EntryRow>(
        `SELECT account, seq, n, available_after, held_after FROM account_entries
         WHERE account = ? AND (seq, n) < (?, ?) AND seq >= ? AND seq < ? ORDER BY seq DESC, n DESC LIMIT ?`,
      ),
      seqOfHash: db.prepare<[string], { seq: number }>('SELECT seq FROM transaction_hashes WHERE hash = ?'),
      seqOfId: db.prepare<[string, string], { seq: number }>('SELECT seq FROM transaction_ids WHERE sender = ? AND client_id = ?'),
      seqsOfHashRange: db.prepare<[string, string, number], { seq: number }>('SELECT seq FROM transaction_hashes WHERE hash >= ? AND hash < ? ORDER BY hash LIMIT ?'),
      all: db.prepare<[], EntryRow>('SELECT account, seq, n, available_after, held_after FROM account_entries ORDER BY account, seq, n'),
    };
  }
}
