import { Piscina } from 'piscina';
import { chunksOf } from '../../kit/bulk.js';
import readOnWorker, { type ReadAnswer, type ReadTask } from './read-worker.js';

/** Messages handed to a worker at once: one hand-over (and one answer) per batch, not per message. */
const MESSAGES_PER_TASK = 50;

/**
 * Reads the bank's messages (libxml2's parse, the XSD, the normalised form: about 100 µs
 * for a one-credit camt.054, much of the node's main thread when deposits pour in). With
 * `threads` > 0 they are read on worker threads, so the main thread records the previous
 * round's effects meanwhile; with 0, inline. Workers need compiled JavaScript: run from
 * TypeScript sources (the tests), reading stays inline, as signature checks do.
 */
export class MessageReader {
  private readonly pool: Piscina<ReadTask, ReadAnswer[]> | null;

  constructor(private readonly xsdDirectory: string | undefined, threads: number) {
    const compiled = import.meta.url.endsWith('.js');
    this.pool = threads > 0 && compiled ? new Piscina({ filename: new URL('./read-worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads }) : null;
  }

  get threads(): number {
    return this.pool?.threads.length ?? 0;
  }

  /** Each message read and validated, or why it is refused; in the order given. */
  async readAll(messages: readonly Uint8Array[]): Promise<ReadAnswer[]> {
    const pool = this.pool;
    // Each message in a buffer of its own: a received Buffer may be a view of a much larger one, which would be copied whole to the worker.
    const own = pool === null ? messages : messages.map((bytes) => new Uint8Array(bytes));
    const tasks = chunksOf(own, MESSAGES_PER_TASK).map((chunk): ReadTask => ({ messages: chunk, xsdDirectory: this.xsdDirectory }));
    const answers = pool === null ? await sequentially(tasks) : await Promise.all(tasks.map((task) => pool.run(task)));
    return answers.flat();
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}

async function sequentially(tasks: readonly ReadTask[]): Promise<ReadAnswer[][]> {
  const answers: ReadAnswer[][] = [];
  for (const task of tasks) answers.push(await readOnWorker(task));
  return answers;
}
