import { spawn } from 'node:child_process';
import type { Figures } from './stats.js';

/** How a scenario's child process hands its figures back: one line on its standard output. */
export const RESULT_PREFIX = 'BENCH-RESULT ';

/** How long a child may linger after printing its figures (a handle left open) before it is stopped. */
const LINGER_MS = 15_000;

/**
 * Runs a scenario's child process (`node <args>`) and reads its figures. A child that
 * printed them but does not exit (an older tree, run as a baseline, may leave a handle
 * open) is stopped after a grace period rather than holding the whole run.
 */
export function runChild(args: readonly string[], options: { cwd?: string; label: string }): Promise<Figures> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    let figures: Figures | null = null;
    let lingering: NodeJS.Timeout | null = null;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (figures !== null) return;
      // Only whole lines: the last piece may still be arriving.
      const line = output.split('\n').slice(0, -1).find((l) => l.startsWith(RESULT_PREFIX));
      if (line === undefined) return;
      figures = JSON.parse(line.slice(RESULT_PREFIX.length)) as Figures;
      lingering = setTimeout(() => {
        console.error(`${options.label} printed its figures but did not exit within ${LINGER_MS / 1000} s: stopping it`);
        child.kill('SIGKILL');
      }, LINGER_MS);
    });
    child.on('exit', (code) => {
      if (lingering !== null) clearTimeout(lingering);
      if (figures === null) reject(new Error(`${options.label} exited with ${code} and no result`));
      else resolve(figures);
    });
  });
}
