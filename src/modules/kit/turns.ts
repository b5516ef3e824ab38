import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';

/**
 * How long a module's long work may hold its thread before the event loop is let turn:
 * well under the sequencer's 20 ms latency target, for a module in the node's process,
 * and a handful of turns a second for long work.
 */
export const TURN_AFTER_MS = 10;

/** When this thread's event loop last turned for `turnIfHeld` (one thread, one loop: one clock). */
let lastTurn = performance.now();

/**
 * Lets the event loop turn (timers, sockets, the node's sequencer) if this thread has been
 * held TURN_AFTER_MS since it last did here; otherwise returns at once, so short work
 * pays nothing. Called between the steps of long synchronous work: a chain of SQLite
 * queries (see turning-sqlite.ts), an index built entry by entry.
 */
export async function turnIfHeld(): Promise<void> {
  if (performance.now() - lastTurn < TURN_AFTER_MS) return;
  await setImmediate();
  lastTurn = performance.now();
}
