import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../store/spawn-worker.js';
import type { ReaderData, ReadOutcome, ReadReply, ReadRequest } from './reader-worker.js';

export type { ReadOutcome } from './reader-worker.js';

interface Pending {
  resolve: (outcomes: ReadOutcome[]) => void;
  reject: (error: Error) => void;
}

/**
 * Bytes asked in one request past which the thread is given up once it has nothing left
 * to answer: libxml2's WebAssembly heap keeps what a large statement grew it to (about 7
 * times the file: 900 MB for 126 MB), for as long as the thread lives. Credit
 * notifications (2 KB each, 250 a request) never reach it.
 */
const RETIRE_AFTER_BYTES = 16 * 1024 * 1024;

/**
 * The bank's messages read (parsed, validated against their XSD, normalized) on a worker
 * thread, in the order asked. Reading a day's statement takes seconds of CPU (a 126 MB
 * camt.053 of 100,000 entries: about 8 s on this project's 2-core machine); on the
 * module's own thread that would stall its HTTP routes, and, with the module in the
 * node's process, the sequencer itself. A refusal (unknown version, failing its XSD, …)
 * is an outcome; a failure of the worker rejects what was asked of it, and the next
 * request starts a new one, as after a large statement (see RETIRE_AFTER_BYTES).
 */
export class MessageReader {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  /** The thread read a large request: it is given up when it next has nothing to answer. */
  private grown = false;

  constructor(private readonly xsdDirectory: string | undefined) {}

  /** Each message's outcome, in order. */
  read(bodies: readonly (Uint8Array | string)[]): Promise<ReadOutcome[]> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    const answer = new Promise<ReadOutcome[]>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    if (this.pending.size === 1) worker.ref();
    worker.postMessage({ id, bodies: [...bodies] } satisfies ReadRequest);
    if (bodies.reduce((bytes, body) => bytes + body.length, 0) >= RETIRE_AFTER_BYTES) this.grown = true;
    return answer;
  }

  /** Stops the thread; what it was asked is refused. A module started again starts another. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.fail(new Error('the message reader is closed'), worker);
    await worker.terminate();
  }

  private start(): Worker {
    const worker = spawnWorker(import.meta.url, 'reader-worker', { xsdDirectory: this.xsdDirectory ?? null } satisfies ReaderData);
    // Keeps the process alive only while messages wait to be read.
    worker.unref();
    worker.on('message', (reply: ReadReply) => this.answered(reply));
    worker.on('error', (error) => this.fail(new Error(`the message reader failed: ${error.message}`), worker));
    worker.on('exit', (code) => this.fail(new Error(`the message reader stopped (exit ${code})`), worker));
    this.worker = worker;
    this.grown = false;
    return worker;
  }

  private answered(reply: ReadReply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in reply) waiting.reject(new Error(`reading the bank's messages failed: ${reply.error}`));
    else waiting.resolve(reply.outcomes);
    if (this.grown && this.pending.size === 0) this.retire();
  }

  /** The thread stopped with nothing asked of it, its memory given back; the next request starts another. */
  private retire(): void {
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
  }

  /** Everything asked of `worker` (or of any, when none is named) is refused; the next request starts a new worker. */
  private fail(error: Error, worker?: Worker): void {
    if (worker !== undefined && worker !== this.worker) return;
    this.worker = null;
    void worker?.terminate();
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
