import { spawn, type ChildProcess } from 'node:child_process';
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
  return handleOf(child, exited, url);
}

/** A started process as the scenarios use it: its address, its stop and kill (each waiting for the exit), its CPU so far. */
function handleOf(child: ChildProcess, exited: Promise<void>, url: string): NodeProcess {
  const signal = async (name: NodeJS.Signals): Promise<void> => {
    child.kill(name);
    await exited;
  };
  return { url, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL'), cpuSeconds: () => processCpuSeconds(child.pid) };
}

/**
 * A module run as its own process against a node (`depositum module run NAME`), compiled,
 * signed as `participant` with its key from the node's data directory, its tables in a
 * SQLite file of its own. Ready once it says where it serves its routes.
 */
export async function startModuleProcess(dir: string, nodeUrl: string, name: string, options: { participant: string; database: string; profileDir?: string; env?: Record<string, string> }): Promise<NodeProcess> {
  const profile = options.profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', options.profileDir];
  const args = [...profile, join(ROOT, 'dist/src/cli/main.js'), '--data-dir', dir, '--as', options.participant, '--url', nodeUrl, 'module', 'run', name, '--database', options.database, '--port', '0', '--log-level', 'warn'];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], ...(options.env !== undefined && { env: { ...process.env, ...options.env } }) });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let said = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      said += chunk;
      const serving = /serving (http:\/\/\S+?)\/v1\//.exec(said);
      if (serving !== null) resolve(serving[1]!);
      process.stderr.write(chunk);
    });
    child.once('exit', (code) => reject(new Error(`module ${name} did not start (exit ${code})`)));
  });
  return handleOf(child, exited, url);
}
