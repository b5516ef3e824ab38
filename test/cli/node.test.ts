import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from './helpers.js';
import { CLI_ENTRY, startNodeProcess } from './process.js';

/** Runs the CLI, resolving with its exit code and output whatever the code. */
function cli(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, ...args], (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? 1), stdout, stderr });
    });
  });
}

describe('CLI', () => {
  it('onboards a participant, gates on KYC, and exits 0, 1, 2 or 3 as documented', async () => {
    const dir = tempDir();
    const node = await startNodeProcess(dir.path);
    try {
      assert.equal((await cli(dir.path, 'keys', 'generate', 'hooli')).code, 0);
      const registered = await cli(dir.path, 'register-participant', 'hooli', '--legal-name', 'Hooli Treasury LLC', '--lei', '5493009SHZL1QKMXA880', '--jurisdiction', 'US');
      assert.equal(registered.code, 0, registered.stderr);
      const gated = await cli(dir.path, '--as', 'hooli', 'open-account', 'hooli-usd', '--owner', 'hooli', '--asset', 'usd-fmb');
      assert.equal(gated.code, 1);
      assert.match(gated.stdout, /rejected: kyc_not_approved/);
      assert.equal((await cli(dir.path, 'set-kyc', 'hooli', '--status', 'approved', '--expires', '365d')).code, 0);
      assert.equal((await cli(dir.path, '--as', 'hooli', 'open-account', 'hooli-usd', '--owner', 'hooli', '--asset', 'usd-fmb')).code, 0);
      const balances = await cli(dir.path, '--as', 'hooli', '--json', 'balances');
      assert.deepEqual(JSON.parse(balances.stdout), [{ id: 'hooli-usd', owner: 'hooli', asset: 'usd-fmb', available: '0.00', held: '0.00', frozen: false }]);

      const refused = await cli(dir.path, '--as', 'acme', 'pay', '--from', 'acme-usd', '--to', 'globex-usd', '--amount', '1.001');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /amount_too_precise/);
      const usage = await cli(dir.path, '--as', 'acme', 'hold', '--from', 'acme-usd', '--to', 'globex-usd', '--amount', '1.00', '--expires', 'soon');
      assert.equal(usage.code, 2);
    } finally {
      await node.stop();
    }
    try {
      const db = new Database(join(dir.path, 'ledger.sqlite'));
      db.prepare("UPDATE transactions SET result = replace(result, 'kyc_not_approved', 'kyc_expired') WHERE result LIKE '%kyc_not_approved%'").run();
      db.close();
      const verified = await cli(dir.path, 'verify');
      assert.equal(verified.code, 3);
      assert.match(verified.stdout, /chain INVALID at block 5/);
    } finally {
      dir.remove();
    }
  });
});
