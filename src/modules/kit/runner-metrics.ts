import { Counter, Gauge, type Registry } from 'prom-client';
import { perRegistry } from './per-registry.js';

/** What a module's runner tells its process's metrics (see ModuleRunner). */
export interface RunnerMetrics {
  /** Events of the feed handled and committed. */
  handled(events: number): void;
  /** A step that failed (it is retried). */
  failed(): void;
  /** Whether this process holds the module's lease (runs it) after its last try. */
  leaseHeld(held: boolean): void;
  /** A step done: caught up with the feed, the module's work done. */
  stepDone(atMs: number): void;
}

/** Every module's metrics on one registry, told apart by their `module` label (a node runs several). */
const onRegistry = perRegistry(metricsOn);

/**
 * The runner's metrics of `module` on `registry`: events handled, failed steps, the lease,
 * and when the last step ended, so an operator can alert on a module that stopped
 * following the feed (`time() - depositum_module_last_step_seconds`) or that no process runs.
 */
export function runnerMetrics(registry: Registry, module: string): RunnerMetrics {
  return onRegistry(registry)(module);
}

function metricsOn(registry: Registry): (module: string) => RunnerMetrics {
  const registers = [registry];
  const labelNames = ['module'] as const;
  const events = new Counter({ name: 'depositum_module_events_total', help: 'Events of the feed a module handled and committed', labelNames, registers });
  const failures = new Counter({ name: 'depositum_module_step_failures_total', help: 'Steps of a module that failed and were retried', labelNames, registers });
  const lease = new Gauge({ name: 'depositum_module_lease_held', help: '1 while this process holds the module\'s lease (runs it)', labelNames, registers });
  const lastStep = new Gauge({ name: 'depositum_module_last_step_seconds', help: 'When a step of the module last ended, caught up with the feed (Unix time)', labelNames, registers });
  return (module) => {
    const labels = { module };
    // Present from the start, at zero: a module that never handled anything still shows.
    events.inc(labels, 0);
    failures.inc(labels, 0);
    return {
      handled: (count) => events.inc(labels, count),
      failed: () => failures.inc(labels),
      leaseHeld: (held) => lease.set(labels, held ? 1 : 0),
      stepDone: (atMs) => lastStep.set(labels, atMs / 1000),
    };
  };
}
