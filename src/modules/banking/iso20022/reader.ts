import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../store/spawn-worker.js';
import { WorkerRequests } from '../../../store/worker-requests.js';
import type { ReaderData, ReadOutcome, ReadReply, ReadRequest } from './reader-worker.js';

export type { ReadOutcome } from './reader-worker.js';

/** A reader thread and the requests asked of it. */
interface Thread {
  readonly worker: Worker;
  readonly requests: WorkerRequests<ReadOutcome[]>;
  /** It read a large request: it is given up when it next has nothing to answer. */
  grown: boolean;
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
  private thread: Thread | null = null;

  constructor(private readonly xsdDirectory: string | undefined) {}

  /** Each message's outcome, in order. */
  read(bodies: readonly (Uint8Array | string)[]): Promise<ReadOutcome[]> {
    const thread = this.thread ?? this.start();
    const answer = thread.requests.send((id) => ({ id, bodies: [...bodies] } satisfies ReadRequest));
    if (bodies.reduce((bytes, body) => bytes + body.length, 0) >= RETIRE_AFTER_BYTES) thread.grown = true;
    return answer;
  }

  /** Stops the thread; what it was asked is refused. A module started again starts another. */
  async close(): Promise<void> {
    const thread = this.thread;
    if (thread === null) return;
    this.fail(thread, new Error('the message reader is closed'));
    await thread.worker.terminate();
  }

  private start(): Thread {
    const worker = spawnWorker(import.meta.url, 'reader-worker', { xsdDirectory: this.xsdDirectory ?? null } satisfies ReaderData);
    const thread: Thread = { worker, requests: new WorkerRequests(worker), grown: false };
    worker.on('message', (reply: ReadReply) => this.answered(thread, reply));
    worker.on('error', (error) => this.fail(thread, new Error(`the message reader failed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(thread, new Error(`the message reader stopped (exit ${code})`)));
    this.thread = thread;
    return thread;
  }

  private answered(thread: Thread, reply: ReadReply): void {
    thread.requests.settle(reply.id, 'error' in reply ? { error: new Error(`reading the bank's messages failed: ${reply.error}`) } : { value: reply.outcomes });
    // Given up with nothing asked of it, its memory given back; the next request starts another.
    if (thread.grown && thread.requests.waiting === 0 && this.thread === thread) {
      this.thread = null;
      void thread.worker.terminate();
    }
  }

  /** Everything asked of the thread is refused; the next request starts a new one. */
  private fail(thread: Thread, error: Error): void {
    if (this.thread === thread) this.thread = null;
    void thread.worker.terminate();
    thread.requests.failAll(error);
  }
}
