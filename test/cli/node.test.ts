import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { editStoredTransactions, tempDir } from '../helpers.js';
import { CLI_ENTRY, startNodeProcess } from '../process.js';
import { cli, type CliRun } from './run.js';

/** `depositum start` that is expected to fail: its exit code and what it said; killed if it is still running after two minutes (it used to hang on). */
function startThatFails(dataDir: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliRun & { killed: boolean }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, 'start', '--demo', '--log-level', 'warn', ...args], { env: { ...process.env, ...env }, timeout: 120_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const failure = error as (Error & { code?: number; killed?: boolean }) | null;
      resolve({ code: failure === null ? 0 : Number(failure.code ?? -1), stdout, stderr, killed: failure?.killed === true });
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
      const edited = editStoredTransactions(join(dir.path, 'ledger.sqlite'), (tx) => (tx.result.includes('kyc_not_approved') ? { ...tx, result: tx.result.replace('kyc_not_approved', 'kyc_expired') } : tx));
      assert.ok(edited > 0);
      const verified = await cli(dir.path, 'verify');
      assert.equal(verified.code, 3);
      assert.match(verified.stdout, /chain INVALID at block 7/);
    } finally {
      dir.remove();
    }
  });
});

describe('CLI on a running node: errors that explain themselves, readable history', () => {
  it('names the field and the value, says why a recorded rejection happened, and hints at the fix', async () => {
    const dir = tempDir();
    const node = await startNodeProcess(dir.path);
    try {
      assert.equal((await cli(dir.path, '--as', 'first-meridian', 'mint', '--to', 'acme-usd', '--amount', '1000.00', '--deposit-ref', 'DEP-1')).code, 0);
      const typo = await cli(dir.path, '--as', 'acme', '--json', 'pay', '--from', 'acme-usd', '--to', 'globx-usd', '--amount', '1.00');
      assert.equal(typo.code, 1);
      const { error } = JSON.parse(typo.stdout) as { error: { code: string; message: string; param: string; request_id: string; doc_url: string } };
      assert.deepEqual([error.code, error.message, error.param], ['account_not_found', 'operations[0].to: no account "globx-usd"', 'body.operations[0].to']);
      assert.match(error.request_id, /^[0-9a-f-]{36}$/);
      assert.match(error.doc_url, /\/v1\/errors\/account_not_found$/);
      const precise = await cli(dir.path, '--as', 'acme', 'pay', '--from', 'acme-usd', '--to', 'globex-usd', '--amount', '1.001');
      assert.match(precise.stderr, /"1\.001" has more decimals than usd-fmb allows \(2\)/);

      const unsigned = await cli(dir.path, '--as', 'acme', 'redeem', '--from', 'acme-usd', '--amount', '10.00', '--payout-ref', 'ACME-DDA-1');
      assert.equal(unsigned.code, 1);
      assert.match(unsigned.stdout, /rejected: not_authorized \(operation 0\), recorded in block \d+/);
      assert.match(unsigned.stdout, /the signature of first-meridian, the issuer of usd-fmb/);
      assert.match(unsigned.stdout, /hint: the issuer signs every redemption: add --cosign first-meridian/);
      const cosigned = await cli(dir.path, '--as', 'acme', 'redeem', '--from', 'acme-usd', '--amount', '10.00', '--payout-ref', 'ACME-DDA-1', '--cosign', 'first-meridian');
      assert.equal(cosigned.code, 0, cosigned.stdout);

      assert.equal((await cli(dir.path, '--as', 'acme', 'pay', '--from', 'acme-usd', '--to', 'globex-usd', '--amount', '250.00', '--reference', 'INV-2026-0042', '--memo', 'invoice 42')).code, 0);
      const history = await cli(dir.path, '--as', 'acme', 'history', 'acme-usd');
      const lines = history.stdout.split('\n');
      assert.ok(lines.every((line) => line.length <= 160), `no line wider than 160 characters:\n${history.stdout}`);
      assert.match(lines[2] ?? '', /transferred\s+-250\.00\s+740\.00\s+globex-usd\s+INV-2026-0042\s+invoice 42\s+[0-9a-f]{10}$/);
      assert.match(history.stdout, /rejected: not_authorized/, 'rejected attempts are listed');
      const filtered = JSON.parse((await cli(dir.path, '--as', 'acme', '--json', 'history', 'acme-usd', '--reference', 'INV-2026-0042')).stdout) as { data: { type: string; available: string }[] };
      assert.deepEqual(filtered.data.map((line) => [line.type, line.available]), [['transferred', '740.00']]);
      const none = JSON.parse((await cli(dir.path, '--as', 'acme', '--json', 'history', 'acme-usd', '--to', '2020-01-01')).stdout) as { data: unknown[] };
      assert.deepEqual(none.data, []);

      const short = /([0-9a-f]{10})$/.exec(lines[2]!)![1]!;
      const tx = await cli(dir.path, '--as', 'acme', 'tx', short);
      assert.equal(tx.code, 0, tx.stderr);
      assert.match(tx.stdout, /reference INV-2026-0042/);
      assert.match(tx.stdout, /\[0\] pay 250\.00 from acme-usd to globex-usd/);
      assert.match(tx.stdout, /receipt: VALID/);
      const stranger = await cli(dir.path, '--as', 'initech', '--json', 'tx', short);
      assert.equal(stranger.code, 1);
      assert.equal((JSON.parse(stranger.stdout) as { error: { code: string } }).error.code, 'transaction_not_found', 'a prefix finds only the caller\'s own transactions');

      const before = JSON.parse((await cli(dir.path, '--as', 'acme', '--json', 'balances', '--at', '2020-01-01')).stdout) as { id: string; available: string }[];
      assert.equal(before.find((a) => a.id === 'acme-usd')?.available, '0.00');
      const online = await cli(dir.path, '--as', 'auditor', 'verify', '--online');
      assert.equal(online.code, 0, online.stderr);
      assert.match(online.stdout, /chain valid/);
    } finally {
      await node.stop();
      dir.remove();
    }
  });
});

describe('a node that cannot start', () => {
  it('exits with code 2 and the reason when its port is taken or a module\'s settings are wrong, instead of hanging on half-open', async () => {
    const dir = tempDir();
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const port = String((taken.address() as AddressInfo).port);
      const busy = await startThatFails(join(dir.path, 'busy'), ['--port', port]);
      assert.deepEqual([busy.killed, busy.code], [false, 2], busy.stderr);
      assert.match(busy.stderr, /EADDRINUSE/);
      assert.equal(existsSync(join(dir.path, 'busy', 'node.json')), false, 'no address published for a node that is not serving');

      const settings = join(dir.path, 'banking.json');
      writeFileSync(settings, JSON.stringify({ omnibusAccount: 'FMB-OMNIBUS-USD', asset: 'usd-fmb', staff: ['first-meridian'], inbox: join(dir.path, 'bank-link'), amqpp: {} }));
      const misconfigured = await startThatFails(join(dir.path, 'module'), ['--port', '0', '--modules', 'banking'], { DEPOSITUM_BANKING_CONFIG: settings });
      assert.deepEqual([misconfigured.killed, misconfigured.code], [false, 2], misconfigured.stderr);
      assert.match(misconfigured.stderr, /unknown field settings\.amqpp/);
    } finally {
      taken.close();
      dir.remove();
    }
  });
});
