import { MerkleTree } from '../chain/index.js';
import { spawnWorker } from '../store/spawn-worker.js';
import { WorkerRequests } from '../store/worker-requests.js';
import type { HashReply, HashRequest } from './block-hasher-worker.js';
import type { Trees } from './committed-block.js';

/**
 * A block's Merkle trees, hashed on a worker thread (block-hasher-worker.ts) from the
 * block's record, so the sequencer's thread applies the next block meanwhile. Requests are
 * answered in order. A worker that fails fails every request, then and after: the engine
 * stops, as for a failed write.
 */
export class BlockHasher {
  private readonly worker = spawnWorker(import.meta.url, 'block-hasher-worker', null);
  private readonly requests = new WorkerRequests<Trees>(this.worker);
  private failure: Error | null = null;

  constructor() {
    this.worker.on('message', (reply: HashReply) => this.requests.settle(reply.id, 'error' in reply
      ? { error: new Error(`hashing a block failed: ${reply.error}`) }
      : { value: { transactionTree: MerkleTree.fromLevels(reply.transactionLevels), resultTree: MerkleTree.fromLevels(reply.resultLevels) } }));
    this.worker.on('error', (error) => this.fail(new Error(`the block hasher failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new Error(`the block hasher stopped (exit ${code})`)));
  }

  trees(height: number, record: Buffer): Promise<Trees> {
    if (this.failure !== null) return Promise.reject(this.failure);
    // Copied, not transferred: the record is written to the log too.
    return this.requests.send((id) => ({ id, height, record } satisfies HashRequest));
  }

  async close(): Promise<void> {
    this.fail(new Error('the block hasher is closed'));
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.requests.failAll(this.failure);
  }
}
