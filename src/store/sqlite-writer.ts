import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn-worker.js';
import type { SqliteWriterReply, SqliteWriterRequest } from './sqlite-writer-worker.js';
import type { BlockWrite } from './types.js';
import { WorkerRequests } from './worker-requests.js';

/** A write the writer thread refused, with SQLite's error code (so storeUnavailable can read it). */
class WriteError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'WriteError';
  }
}

/**
 * The block writer of a SQLite ledger (sqlite-writer-worker.ts): each block one message,
 * answered once durable. A writer that fails fails every write, then and after.
 */
export class SqliteWriter {
  private readonly worker: Worker;
  private readonly requests: WorkerRequests<void>;
  private failure: Error | null = null;

  constructor(path: string) {
    this.worker = spawnWorker(import.meta.url, 'sqlite-writer-worker', { path });
    this.requests = new WorkerRequests<void>(this.worker);
    this.worker.on('message', (reply: SqliteWriterReply) => this.requests.settle(reply.id, 'error' in reply ? { error: new WriteError(reply.error, reply.code) } : { value: undefined }));
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
    return this.requests.send((id) => ({ ...request, id }) as SqliteWriterRequest);
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.requests.failAll(this.failure);
  }
}
