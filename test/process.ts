import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('..', import.meta.url).pathname;
/** The compiled CLI (npm test builds first): processes run as in production, signature workers included. */
export const CLI_ENTRY = join(ROOT, 'dist/src/cli/main.js');

/** How long a node process may take to start listening. */
const START_TIMEOUT_MS = 30_000;

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for the graceful exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
}

/** Starts `depositum start --demo` as its own process on a free port. */
export async function startNodeProcess(dataDir: string, port = 0): Promise<NodeProcess> {
  const nodeFile = join(dataDir, 'node.json');
  rmSync(nodeFile, { force: true });
  const child = spawn(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, 'start', '--demo', '--port', String(port), '--log-level', 'warn'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!existsSync(nodeFile)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`node did not start:\n${output}`);
    await sleep(50);
  }
  const { url } = JSON.parse(readFileSync(nodeFile, 'utf8')) as { url: string };
  return {
    url, child, output: () => output,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
