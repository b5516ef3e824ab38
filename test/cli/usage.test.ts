import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../helpers.js';
import { cli } from './run.js';

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What a script gets for any failure under --json: the API's error shape, alone on stdout. */
function assertJsonError(stdout: string, type: string, code: string): { message: string; param?: string } {
  const parsed = JSON.parse(stdout) as { error: { type: string; code: string; message: string; param?: string } };
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.equal(parsed.error.type, type, stdout);
  assert.equal(parsed.error.code, code, stdout);
  assert.equal(typeof parsed.error.message, 'string');
  return parsed.error;
}

describe('CLI usage: what a script can rely on without a node', () => {
  const dir = tempDir();
  after(() => dir.remove());

  const usageErrors: [string, string[], string][] = [
    ['a missing option', ['pay', '--from', 'acme-usd'], 'missing_mandatory_option_value'],
    ['an unknown option', ['pay', '--from', 'a', '--to', 'b', '--amount', '1.00', '--frm', 'x'], 'unknown_option'],
    ['an unknown command', ['pya'], 'unknown_command'],
    ['a bad value', ['hold', '--from', 'a', '--to', 'b', '--amount', '1.00', '--expires', 'soon'], 'invalid_argument'],
    ['a value outside the choices', ['register-participant', 'x', '--legal-name', 'X', '--lei', 'L', '--jurisdiction', 'US', '--role', 'king'], 'invalid_argument'],
    ['a missing argument', ['tx'], 'missing_argument'],
    ['an impossible date', ['balances', '--at', '2026-02-31'], 'invalid_argument'],
  ];
  for (const [name, args, code] of usageErrors) {
    it(`${name} exits 2, says what was wrong once, and under --json is one error object`, async () => {
      const plain = await cli(dir.path, ...args);
      assert.equal(plain.code, 2, plain.stderr);
      assert.equal(plain.stdout, '');
      assert.equal(plain.stderr.match(/error:/g)?.length, 1, plain.stderr);
      assert.match(plain.stderr, /add --help for usage/);
      assert.doesNotMatch(plain.stderr, /Commands:|Options:/, 'the whole help is not reprinted after a mistake');
      const json = await cli(dir.path, '--json', ...args);
      assert.equal(json.code, 2);
      assert.equal(json.stderr, '');
      assertJsonError(json.stdout, 'usage_error', code);
    });
  }

  for (const amount of ['1,000.00', '1 000.00', "1'000.00", '1_000.00']) {
    it(`refuses the amount ${amount} instead of dropping its separator`, async () => {
      const run = await cli(dir.path, '--json', 'pay', '--from', 'a', '--to', 'b', '--amount', amount);
      assert.equal(run.code, 2);
      assert.match(assertJsonError(run.stdout, 'usage_error', 'invalid_argument').message, /thousands separators/);
    });
  }

  it('prints its version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await cli(dir.path, '--version');
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), version);
  });

  it('shows examples in help, for the program and for a command', async () => {
    const top = await cli(dir.path, '--help');
    assert.equal(top.code, 0);
    assert.match(top.stdout, /Examples:\n\s+\$ depositum/);
    assert.match(top.stdout, /Exit status: 0 done, 1 .*, 2 .*, 3 /);
    const pay = await cli(dir.path, 'pay', '--help');
    assert.match(pay.stdout, /Examples:\n\s+\$ depositum --as acme pay/);
  });

  it('an unknown identity is a local error naming the keys there are', async () => {
    const run = await cli(dir.path, '--json', '--as', 'nobody', 'balances');
    assert.equal(run.code, 2);
    assert.equal(assertJsonError(run.stdout, 'local_error', 'unknown_key').param, '--as');
  });

  it('a node that does not answer is a local error saying how to start one', async () => {
    const init = await cli(dir.path, 'init', '--network', 'bank-x', '--legal-name', 'Bank X', '--lei', '5493001KJTIIGC8Y1R12', '--jurisdiction', 'US');
    assert.equal(init.code, 0, init.stderr);
    const url = `http://127.0.0.1:${await closedPort()}`;
    const run = await cli(dir.path, '--json', '--url', url, 'balances');
    assert.equal(run.code, 2);
    assert.match(assertJsonError(run.stdout, 'local_error', 'node_unreachable').message, new RegExp(`${url}.*ECONNREFUSED.*npm start`));
  });

  describe('init validates with the API\'s own schemas, and writes nothing it would refuse', () => {
    const refused: [string, Record<string, string>, string][] = [
      ['a network id the API refuses', { '--network': 'Bank_X' }, '--network'],
      ['an LEI of the wrong shape', { '--lei': '123' }, '--lei'],
      ['an LEI whose check digits are wrong', { '--lei': '5493001KJTIIGC8Y1R13' }, '--lei'],
      ['a three-letter country', { '--jurisdiction': 'usa' }, '--jurisdiction'],
      ['a lower-case country', { '--jurisdiction': 'us' }, '--jurisdiction'],
      ['a country code that is not assigned', { '--jurisdiction': 'XX' }, '--jurisdiction'],
      ['a control character in the legal name', { '--legal-name': 'Bank\u0007X' }, '--legal-name'],
    ];
    const good = { '--network': 'bank-y', '--legal-name': 'Bank Y', '--lei': '5493001KJTIIGC8Y1R12', '--jurisdiction': 'US' };
    for (const [name, change, option] of refused) {
      it(`${name} exits 2 naming ${option}`, async () => {
        const fresh = join(dir.path, `init-${option.slice(2)}-${Object.values(change)[0]!.length}`);
        const args = Object.entries({ ...good, ...change }).flat();
        const run = await cli(fresh, '--json', 'init', ...args);
        assert.equal(run.code, 2, run.stdout);
        const error = assertJsonError(run.stdout, 'usage_error', 'invalid_request');
        assert.equal(error.param, option);
        assert.equal(existsSync(fresh), false, 'nothing was written');
      });
    }
  });
});
