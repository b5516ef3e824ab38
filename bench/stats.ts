/** Latency and resource figures for one scenario. */
export interface Figures {
  scenario: string;
  ops: number;
  seconds: number;
  ops_per_s: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  rss_mb: number;
  cpu_s: number;
  ok: boolean;
  /** Why the correctness check failed, if it did. */
  problem?: string;
  target: string;
  met: boolean;
  /** Memory scenario: resident size of a fresh process holding the ledger. */
  held_mb?: number;
  /** Open-loop scenarios: the load offered, in operations per second. */
  offered_per_s?: number;
  note?: string;
}

export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

const round = (value: number, places = 2) => Number(value.toFixed(places));

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMb(): number {
  return round(process.resourceUsage().maxRSS / 1024, 1);
}

export function summarize(args: { scenario: string; ops: number; seconds: number; latenciesMs: Float64Array; cpuS: number; ok: boolean; problem?: string | null; target: string; met: (opsPerS: number, p99: number) => boolean; offeredPerS?: number; note?: string }): Figures {
  const sorted = args.latenciesMs.slice().sort();
  const opsPerS = args.ops / args.seconds;
  const p99 = percentile(sorted, 0.99);
  return {
    scenario: args.scenario,
    ops: args.ops,
    seconds: round(args.seconds, 3),
    ops_per_s: Math.round(opsPerS),
    p50_ms: round(percentile(sorted, 0.5)),
    p99_ms: round(p99),
    max_ms: round(sorted.length === 0 ? 0 : sorted[sorted.length - 1]!),
    rss_mb: peakRssMb(),
    cpu_s: round(args.cpuS),
    ok: args.ok,
    target: args.target,
    met: args.ok && args.met(opsPerS, p99),
    ...(args.problem !== undefined && args.problem !== null && { problem: args.problem }),
    ...(args.offeredPerS !== undefined && { offered_per_s: Math.round(args.offeredPerS) }),
    ...(args.note !== undefined && { note: args.note }),
  };
}
