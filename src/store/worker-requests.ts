import type { Worker } from 'node:worker_threads';

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

/**
 * Requests to a worker thread, each answered once under the id it was sent with (the
 * block hasher, the ledger's SQLite writer, the banking module's message reader). The
 * worker keeps the process alive only while a request waits for its answer: a node or a
 * module with nothing asked of its threads can exit.
 */
export class WorkerRequests<T> {
  private readonly pending = new Map<number, Pending<T>>();
  private nextId = 0;

  constructor(private readonly worker: Worker) {
    worker.unref();
  }

  /** How many requests wait for their answer. */
  get waiting(): number {
    return this.pending.size;
  }

  /** Posts the message `make` builds around a new id; resolves or rejects with the answer to that id. */
  send(make: (id: number) => unknown): Promise<T> {
    const id = this.nextId++;
    const answer = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) this.worker.ref();
    try {
      this.worker.postMessage(make(id));
    } catch (error) {
      // Nothing was sent (a value that cannot be cloned): nothing will answer it.
      this.settle(id, { error: error as Error });
    }
    return answer;
  }

  /** The answer to request `id`. One to a request no longer waiting (failed meanwhile) is ignored. */
  settle(id: number, outcome: { value: T } | { error: Error }): void {
    const waiting = this.pending.get(id);
    if (waiting === undefined) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    if ('error' in outcome) waiting.reject(outcome.error);
    else waiting.resolve(outcome.value);
  }

  /** Every request still waiting fails with `error`. */
  failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
