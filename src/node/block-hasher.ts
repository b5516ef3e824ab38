import type { Worker } from 'node:worker_threads';
import { MerkleTree } from '../chain/index.js';
import { spawnWorker } from '../store/spawn-worker.js';
import type { HashReply, HashRequest } from './block-hasher-worker.js';
import type { Trees } from './committed-block.js';

interface Pending {
  resolve: (trees: Trees) => void;
  reject: (error: Error) => void;
}

/**
 * A block's Merkle trees, hashed on a worker thread (block-hasher-worker.ts) from the
 * block's record, so the sequencer's thread applies the next block meanwhile. Requests are
 * answered in order. A worker that fails fails every request, then and after: the engine
 * stops, as for a failed write.
 */
export class BlockHasher {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor() {
    this.worker = spawnWorker(import.meta.url, 'block-hasher-worker', null);
    // Keeps the process alive only while a block waits for its trees.
    this.worker.unref();
    this.worker.on('message', (reply: HashReply) => this.answered(reply));
    this.worker.on('error', (error) => this.fail(new Error(`the block hasher failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the block hasher stopped (exit ${code})`)));
  }

  trees(height: number, record: Buffer): Promise<Trees> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.nextId++;
    const answer = new Promise<Trees>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    // Copied, not transferred: the record is written to the log too.
    this.worker.postMessage({ id, height, record } satisfies HashRequest);
    return answer;
  }

  async close(): Promise<void> {
    this.fail(new Error('the block hasher is closed'));
    await this.worker.terminate();
  }

  private answered(reply: HashReply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in reply) waiting.reject(new Error(`hashing a block failed: ${reply.error}`));
    else waiting.resolve({ transactionTree: MerkleTree.fromLevels(reply.transactionLevels), resultTree: MerkleTree.fromLevels(reply.resultLevels) });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(this.failure);
    this.pending.clear();
  }
}
