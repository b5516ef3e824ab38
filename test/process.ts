import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('..', import.meta.url).pathname;
/** The compiled CLI (npm test builds first): processes run as in production, signature workers included. */
export const CLI_ENTRY = join(ROOT, 'dist/src/cli/main.js');

/** How long a node process may take to start listening: generous, for a busy machine. */
const START_TIMEOUT_MS = 120_000;
/** How long a graceful shutdown may take before the test calls it hung (and kills the node). */
const STOP_TIMEOUT_MS = 60_000;

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
  /** SIGSTOP / SIGCONT: a process that hangs (a long GC pause, a frozen VM) and later wakes up. */
  pause(): void;
  resume(): void;
}

export interface NodeProcessOptions {
  port?: number;
  /** PostgreSQL instead of the data directory's SQLite file: the node joins the sequencer election. */
  databaseUrl?: string;
  /** More options of `start`, e.g. ['--modules', 'notifier']. */
  args?: readonly string[];
  /** Environment variables for the node besides this process's (a module's settings file). */
  env?: Readonly<Record<string, string>>;
}

/**
 * Every child process a test file starts, so that none outlives it: whatever a test's
 * outcome (an assertion, a timeout, an exception before its own cleanup), the children
 * still running when the test process exits are killed.
 */
const children = new Set<ChildProcess>();
function killChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.once('exit', killChildren);
// A test process stopped by a signal (the runner cancelling it) takes its children with it.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killChildren();
    process.kill(process.pid, signal);
  });
}

/** Spawns a process that is killed, at the latest, when this test process exits. */
export function spawnTracked(file: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(file, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Starts `depositum start --demo` as its own process, on a free port unless told. */
export async function startNodeProcess(dataDir: string, options: NodeProcessOptions = {}): Promise<NodeProcess> {
  const nodeFile = join(dataDir, 'node.json');
  rmSync(nodeFile, { force: true });
  const args = [CLI_ENTRY, '--data-dir', dataDir, 'start', '--demo', '--port', String(options.port ?? 0), '--log-level', 'warn'];
  if (options.databaseUrl !== undefined) args.push('--database-url', options.databaseUrl);
  args.push(...(options.args ?? []));
  const child = spawnTracked(process.execPath, args, options.env === undefined ? {} : { env: { ...process.env, ...options.env } });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': by then the process's output has been read to the end.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(nodeFile)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`node did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(50);
  }
  const { url } = JSON.parse(readFileSync(nodeFile, 'utf8')) as { url: string };
  return {
    url, child, output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      // The watchdog is cancelled once the node exits: a pending timer would keep this test process alive for its full length.
      const watchdog = new AbortController();
      const hung = sleep(STOP_TIMEOUT_MS, 'hung' as const, { signal: watchdog.signal }).catch(() => null);
      const code = await Promise.race([exited, hung]);
      watchdog.abort();
      if (code !== 'hung') return code;
      child.kill('SIGKILL');
      await exited;
      throw new Error(`node did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM:\n${output.slice(-4000)}`);
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
  };
}
