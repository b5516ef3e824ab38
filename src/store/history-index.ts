import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { HistoryIndexMessage, HistoryIndexWorkerData } from './history-index-worker.js';
import type { EntryRow } from './rows.js';

/** Where a ledger file's history index lives: beside it, and safe to delete (it is rebuilt). */
export const historyIndexPath = (ledgerPath: string): string => `${ledgerPath}.history`;

interface Waiter {
  height: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The per-account history of a SQLite ledger, kept in a file of its own by a worker
 * thread (history-index-worker.ts) behind the commit path. Reads wait until the index
 * holds every block the caller asks about, so a history read right after a receipt shows
 * that receipt's entries, exactly as if the index were written with the block.
 */
export class HistoryIndex {
  private readonly worker: Worker;
  private indexed = -1;
  private failure: Error | null = null;
  private waiters: Waiter[] = [];
  private reader: Database.Database | null = null;
  private statements: ReturnType<HistoryIndex['prepare']> | null = null;

  constructor(private readonly data: HistoryIndexWorkerData) {
    this.worker = spawn(data);
    this.worker.unref();
    this.worker.on('message', (message: HistoryIndexMessage) => this.progress(message.indexed));
    this.worker.on('error', (error) => this.fail(new Error(`the history index of ${data.ledgerPath} failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the history index of ${data.ledgerPath} stopped (exit ${code})`)));
  }

  /** The ledger grew: index what is new. */
  advance(): void {
    if (this.failure === null) this.worker.postMessage(null);
  }

  /** Resolves once every block up to `height` is indexed; rejects if the index failed. */
  caughtUp(height: number): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.indexed >= height) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ height, resolve, reject }));
  }

  /** An account's entries strictly before (beforeSeq, beforeN) with seq in [fromSeq, toSeq), newest first. */
  history(account: string, bounds: { beforeSeq: number; beforeN: number; fromSeq: number; toSeq: number }, limit: number): EntryRow[] {
    return this.read().history.all(account, bounds.beforeSeq, bounds.beforeN, bounds.fromSeq, bounds.toSeq, limit);
  }

  /** Every entry, by account then position. */
  all(): IterableIterator<EntryRow> {
    return this.read().all.iterate();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the history index is closed');
    this.reader?.close();
    await this.worker.terminate();
  }

  private progress(indexed: number): void {
    this.indexed = indexed;
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
  private read(): ReturnType<HistoryIndex['prepare']> {
    if (this.statements === null) {
      if (this.indexed < 0 || !existsSync(this.data.indexPath)) throw new Error('the history index is not ready');
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
      all: db.prepare<[], EntryRow>('SELECT account, seq, n, available_after, held_after FROM account_entries ORDER BY account, seq, n'),
    };
  }
}

/** The worker, compiled or (in tests and the bench, run through tsx) from its TypeScript source. */
function spawn(data: HistoryIndexWorkerData): Worker {
  const compiled = import.meta.url.endsWith('.js');
  const url = new URL(`./history-index-worker.${compiled ? 'js' : 'ts'}`, import.meta.url);
  if (compiled) return new Worker(url, { workerData: data });
  const load = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(load, { eval: true, workerData: data });
}
