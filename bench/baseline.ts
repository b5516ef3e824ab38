import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './child.js';
import type { Figures } from './stats.js';

const ROOT = new URL('..', import.meta.url).pathname;

/** Another commit, checked out in a temporary worktree and built, to measure beside this one. */
export interface Baseline {
  ref: string;
  commit: string;
  dir: string;
  remove(): void;
}

/** The project's shared data (ISO 20022 XSDs, sanctions lists), beside the checkout as `../shared`. */
const SHARED = join(ROOT, '..', 'shared');

/**
 * Checks `ref` out in a temporary worktree, shares this tree's installed packages with it
 * (a baseline needs no download; a package it lacks fails its build loudly) and builds it.
 * The worktree sees the same `../shared` as this tree: without it, a baseline's banking
 * scenarios found no XSDs and skipped validation, and ran faster for it than this tree
 * (0.87 for the same commit on banking-credits).
 */
export function prepareBaseline(ref: string): Baseline {
  const commit = execFileSync('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT, encoding: 'utf8' }).trim();
  const parent = mkdtempSync(join(tmpdir(), 'depositum-baseline-'));
  const dir = join(parent, 'tree');
  execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: ROOT, stdio: 'ignore' });
  const remove = (): void => {
    execFileSync('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT, stdio: 'ignore' });
    rmSync(parent, { recursive: true, force: true });
  };
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    if (existsSync(SHARED)) symlinkSync(realpathSync(SHARED), join(parent, 'shared'), 'dir');
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
    if (!existsSync(join(dir, 'bench/main.ts'))) throw new Error(`${ref} has no bench/main.ts`);
  } catch (error) {
    remove();
    throw error;
  }
  return { ref, commit, dir, remove };
}

/** Runs one scenario of the tree at `root` in its own process, with the given options, and reads its figures. */
export function runScenario(root: string, scenario: string, args: readonly string[]): Promise<Figures> {
  return runChild(['--import', 'tsx', '--expose-gc', join(root, 'bench/main.ts'), ...args, '--child', scenario], { cwd: root, label: `scenario ${scenario} of ${root}` });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface Comparison {
  scenario: string;
  ours: number[];
  baseline: number[];
  /** Median of ours over median of the baseline's ops/s: above 1 is faster. */
  ratio: number;
  /** p99 latencies of each run, in ms. */
  oursP99: number[];
  baselineP99: number[];
}

/**
 * Runs each scenario alternately on this tree and the baseline, `pairs` times, so that a
 * host whose speed drifts during the run slows both alike; the medians and their ratio
 * are what to quote. Every other pair runs the baseline first (ours, baseline, baseline,
 * ours, …): a scenario whose second run of a pair is favoured (the same commit against
 * itself gave 0.87 on banking-credits with ours always first) favours neither side.
 */
export async function compare(baseline: Baseline, scenarios: readonly string[], pairs: number, args: readonly string[]): Promise<Comparison[]> {
  const comparisons: Comparison[] = [];
  for (const scenario of scenarios) {
    const ours: number[] = [];
    const theirs: number[] = [];
    const oursP99: number[] = [];
    const theirsP99: number[] = [];
    for (let pair = 0; pair < pairs; pair += 1) {
      const baselineFirst = pair % 2 === 1;
      console.error(`${scenario}: pair ${pair + 1} of ${pairs}${baselineFirst ? ' (baseline first)' : ''}…`);
      const runOurs = async () => {
        const mine = await runScenario(ROOT, scenario, args);
        if (!mine.ok) throw new Error(`${scenario} failed its correctness check on this tree: ${mine.problem ?? ''}`);
        ours.push(mine.ops_per_s);
        oursP99.push(mine.p99_ms);
      };
      const runTheirs = async () => {
        const other = await runScenario(baseline.dir, scenario, args);
        theirs.push(other.ops_per_s);
        theirsP99.push(other.p99_ms);
      };
      for (const run of baselineFirst ? [runTheirs, runOurs] : [runOurs, runTheirs]) await run();
    }
    comparisons.push({ scenario, ours, baseline: theirs, ratio: median(ours) / median(theirs), oursP99, baselineP99: theirsP99 });
  }
  return comparisons;
}

export function printComparison(baseline: Baseline, comparisons: readonly Comparison[]): void {
  console.log(`This tree against ${baseline.ref} (${baseline.commit.slice(0, 10)}), alternating, ops/s (medians):`);
  const header = ['scenario', 'ours', 'baseline', 'ratio', 'ours (runs)', 'baseline (runs)', 'p99 ms ours', 'p99 ms baseline'];
  const rows = comparisons.map((c) => [
    c.scenario, String(Math.round(median(c.ours))), String(Math.round(median(c.baseline))), c.ratio.toFixed(2), c.ours.map(Math.round).join(' '), c.baseline.map(Math.round).join(' '),
    median(c.oursP99).toFixed(1), median(c.baselineP99).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log([line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}
