import { execFile } from 'node:child_process';
import { CLI_ENTRY } from '../process.js';

export interface CliRun { code: number; stdout: string; stderr: string }

/** Runs the CLI on a data directory, resolving with its exit code and output whatever the code. */
export function cli(dataDir: string, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    // The CLI reads these from the environment: a test sets what it means on the command line.
    const { DEPOSITUM_URL: _url, DEPOSITUM_AS: _as, DEPOSITUM_DATA_DIR: _dir, ...env } = process.env;
    execFile(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}
