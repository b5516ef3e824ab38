import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { tempDir } from '../helpers.js';
import { CLI_ENTRY, startNodeProcess, type NodeProcessOptions } from '../process.js';

const run = promisify(execFile);

/** A tour's commands, exactly as a reader would type them; a line ending in `|| true` is one the ledger is meant to refuse (exit status 1). */
export function tourCommands(name = 'tour'): { args: string[]; refused: boolean }[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const tour = new RegExp(`<!-- ${name}:start -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)?.[1];
  assert.ok(tour, `README has the ${name} tour`);
  return tour.split('\n').filter((line) => line.startsWith('./bin/depositum ')).map((line) => {
    const refused = line.endsWith(' || true');
    // Words as a shell splits them here: a double-quoted word may hold spaces.
    const words = [...line.replace(/ \|\| true$/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    return { args: words.slice(1), refused };
  });
}

/** Runs a tour's commands in order against the node of `dataDir`; their outputs. */
export async function runTour(name: string, dataDir: string, show: (line: string) => void): Promise<string[]> {
  const outputs: string[] = [];
  for (const { args, refused } of tourCommands(name)) {
    const { stdout } = await run(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, DEPOSITUM_DATA_DIR: dataDir } }).catch((error: { code?: number; stdout: string; stderr: string }) => {
      // Refused by the ledger, as the tour says it will be: exit status 1, and the output (or, refused at admission, the error) says why.
      if (refused && error.code === 1) return { stdout: error.stdout + error.stderr };
      throw new Error(`depositum ${args.join(' ')} failed (exit ${String(error.code)}):\n${error.stdout}${error.stderr}`);
    });
    outputs.push(stdout);
    show(`$ depositum ${args.join(' ')}\n${stdout.trimEnd()}`);
  }
  return outputs;
}

/** Runs the README tour `name` on a fresh demo node, then `check` as the auditor sees the ledger; the node stops whatever happens. */
export async function tourOnNode(t: { diagnostic(line: string): void }, name: string, check: (outputs: string[], auditor: DepositumClient) => Promise<void>, options: NodeProcessOptions = {}): Promise<void> {
  assert.doesNotMatch(tourCommands(name).flatMap((c) => c.args).join(' '), /127\.0\.0\.1|localhost|--url/);
  const dir = tempDir();
  const node = await startNodeProcess(dir.path, options);
  try {
    const outputs = await runTour(name, dir.path, (line) => t.diagnostic(line));
    await check(outputs, new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('auditor') }));
  } finally {
    await node.stop();
    dir.remove();
  }
}
