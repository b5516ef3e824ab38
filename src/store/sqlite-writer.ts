import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn-worker.js';
import type { SqliteWriterReply, SqliteWriterRequest } from './sqlite-writer-worker.js';
import type { BlockWrite } from './types.js';

/** A write the writer thread refused, with SQLite's error code (so storeUnavailable can read it). */
class WriteError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'WriteError';
  }
}

type Pending = { resolve: () => void; reject: (error: Error) => void };

/**
 * The block writer of a SQLite ledger (sqlite-writer-worker.ts): each block one message,
 * answered once durable. A writer that fails fails every write, then and after.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(path: string) {
    this.worker = spawnWorker(import.meta.url, 'sqlite-writer-worker', { path });
    // Keeps the process alive only while a write is pending (a store never closed must not).
    this.worker.unref();
    this.worker.on('message', (reply: SqliteWriterReply) => this.answered(reply));
    this.worker.on('error', (error) => this.fail(new Error(`the ledger writer of ${path} failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the ledger writer of ${path} stopped (exit ${code})`)));
  }

  commit(write: BlockWrite, record: Buffer): Promise<void> {
    const { block } = write;
    return this.send({
      kind: 'block', height: block.header.height, hash: block.hash, timestampMs: block.header.timestampMs,
      header: JSON.stringify(block.header), signatures: JSON.stringify(block.signatures), record, snapshot: write.snapshot,
    });
  }

  /** Closes the writer's connection once every write sent before is done. */
  async close(): Promise<void> {
    if (this.failure === null) await this.send({ kind: 'close' }).catch(() => undefined);
    this.fail(new Error('the ledger writer is closed'));
    await this.worker.terminate();
  }

  private send(request: Omit<Extract<SqliteWriterRequest, { kind: 'block' }>, 'id'> | { kind: 'close' }): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    const answer = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    this.worker.postMessage({ ...request, id } as SqliteWriterRequest);
    return answer;
  }

  private answered(reply: SqliteWriterReply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) waiting.reject(new WriteError(reply.error, reply.code));
    else waiting.resolve();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}
