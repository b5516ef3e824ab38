import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KeyStore } from '../src/node/keystore.js';
import { DepositumClient } from '../src/sdk/index.js';
import { tempDir } from './helpers.js';
import { CLI_ENTRY, startNodeProcess } from './process.js';

const run = promisify(execFile);

/** The command lines of the README's tour, exactly as a reader would type them. */
function tourCommands(): string[][] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const tour = /<!-- tour:start -->([\s\S]*?)<!-- tour:end -->/.exec(readme)?.[1];
  assert.ok(tour, 'README has a tour');
  return tour.split('\n').filter((line) => line.startsWith('./bin/depositum ')).map((line) => line.split(/\s+/).slice(1));
}

describe('the README tour', () => {
  it('names no port: the CLI finds the node it started, on whatever port', () => {
    assert.doesNotMatch(tourCommands().flat().join(' '), /127\.0\.0\.1|localhost|--url/);
  });

  it('works as written', async (t) => {
    const dir = tempDir();
    const node = await startNodeProcess(dir.path);
    try {
      const outputs: string[] = [];
      for (const args of tourCommands()) {
        const { stdout } = await run(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, DEPOSITUM_DATA_DIR: dir.path } }).catch((error: { stdout: string; stderr: string }) => {
          throw new Error(`depositum ${args.join(' ')} failed:\n${error.stdout}${error.stderr}`);
        });
        outputs.push(stdout);
        t.diagnostic(`$ depositum ${args.join(' ')}\n${stdout.trimEnd()}`);
      }
      const auditor = new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('auditor') });
      assert.equal((await auditor.account('acme-usd')).available, '644000.00');
      assert.equal((await auditor.account('globex-usd')).available, '256000.00');
      assert.equal((await auditor.account('acme-usd')).held, '0.00');
      const usd = (await auditor.assets()).data.find((a) => a.id === 'usd-fmb');
      assert.deepEqual([usd?.issued, usd?.redeemed, usd?.supply], ['1000000.00', '100000.00', '900000.00']);
      const text = outputs.join('\n');
      assert.match(text, /receipt: VALID/);
      assert.equal(text.match(/chain valid: \d+ blocks, \d+ transactions, supply matches/g)?.length, 2);
    } finally {
      await node.stop();
      dir.remove();
    }
  });
});
