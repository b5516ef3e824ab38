import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The longest the event loop was held at a time during a scenario's window: what a node's
 * sequencer, its HTTP answers and its timers waited while a module (or anything else on
 * the thread) ran without a turn. A throughput figure hides it; a payment's latency does not.
 */
export interface StallWatch {
  /** The longest hold since the watch started, in ms. */
  stop(): Promise<number>;
}

/** Holds of this process's event loop (a node and modules run in the bench's process). */
export async function watchStalls(): Promise<StallWatch> {
  const delays = monitorEventLoopDelay({ resolution: 10 });
  delays.enable();
  // The monitor's first tick: a hold before it would go unrecorded.
  await sleep(50);
  return {
    stop: async () => {
      delays.disable();
      return delays.max / 1e6;
    },
  };
}

const LAG_MAX = /^nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? (\S+)$/m;

/**
 * Holds of the event loop of a node or a module in its own process, from its metrics: prom-client's
 * `nodejs_eventloop_lag_max_seconds` is the longest since the last read (each read
 * resets it), so the watch reads once to start and once to stop.
 */
export async function watchStallsAt(url: string): Promise<StallWatch> {
  await lagMaxMs(url);
  return { stop: () => lagMaxMs(url) };
}

async function lagMaxMs(url: string): Promise<number> {
  const response = await fetch(new URL('/metrics', url));
  const text = await response.text();
  const found = LAG_MAX.exec(text);
  if (!response.ok || found === null) throw new Error(`${url}/metrics: no nodejs_eventloop_lag_max_seconds (${response.status})`);
  return Number(found[1]) * 1000;
}
