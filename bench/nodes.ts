import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { paths } from '../src/node/data-dir.js';
import { processCpuSeconds } from './cpu.js';

const ROOT = new URL('..', import.meta.url).pathname;

export interface NodeProcess {
  url: string;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
  /** The CPU time the node's process has used so far, all its threads (NaN where /proc cannot say). */
  cpuSeconds(): number;
}

/** The compiled node in its own process (npm run bench builds first), as in production. */
export async function startNode(dir: string, options: { args?: string[]; profileDir?: string; env?: Record<string, string> } = {}): Promise<NodeProcess> {
  rmSync(paths(dir).node, { force: true });
  const profile = options.profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.profileDir];
  const args = [...profile, join(ROOT, 'dist/src/cli/main.js'), '--data-dir', dir, 'start', '--port', '0', '--log-level', 'warn', '--block-interval-ms', '1', ...(options.args ?? [])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], ...(options.env !== undefined && { env: { ...process.env, ...options.env } }) });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  while (!existsSync(paths(dir).node)) {
    if (child.exitCode !== null) throw new Error('bench node did not start');
    await sleep(50);
  }
  const { url } = JSON.parse(readFileSync(paths(dir).node, 'utf8')) as { url: string };
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    child.kill(name);
    await exited;
  };
  return { url, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL'), cpuSeconds: () => processCpuSeconds(child.pid) };
}
