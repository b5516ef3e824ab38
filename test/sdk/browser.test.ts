import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { transactionHash, verifySignature, transactionSigningMessage, type Receipt, type TransactionEnvelope } from '../../src/chain/index.js';
import { bundleBrowserSdk } from '../../tools/browser-bundle.js';
import { body, openTestLedger, tempDir, type TestLedger } from '../helpers.js';

/** Debian's Chromium, which tools/ensure-chromium.sh (run by `npm test` and CI) installs. */
const CHROMIUM = '/usr/bin/chromium';

describe('the SDK in a browser (its bundle, in Chromium)', () => {
  const dir = tempDir();
  let t: TestLedger;
  let browser: Browser;
  let page: Page;
  let bundle: string;
  let receipt: Receipt;
  let envelope: TransactionEnvelope;

  before(async () => {
    const file = join(dir.path, 'depositum-sdk.js');
    await bundleBrowserSdk(file);
    bundle = readFileSync(file, 'utf8');
    t = await openTestLedger({ dir: join(dir.path, 'ledger') });
    receipt = await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '500.00', depositReference: 'DEP-BROWSER' }], { reference: 'BROWSER-1' });
    envelope = (await t.ledger.store.transaction(receipt.transaction))!.envelope;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    dir.remove();
  });

  /** Runs `code` in the page with the bundle imported as `sdk`; what it returns comes back as JSON. */
  async function inBrowser<T>(code: string, input: unknown): Promise<T> {
    return page.evaluate(async ([source, script, argument]) => {
      const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      const sdk: unknown = await import(url);
      return (new Function('sdk', 'input', `return (async () => { ${script} })();`) as (sdk: unknown, input: unknown) => Promise<T>)(sdk, argument);
    }, [bundle, code, input] as const);
  }

  it('imports no Node.js module', () => {
    assert.doesNotMatch(bundle, /from\s*["']node:|require\(["']node:/);
  });

  it('verifies a receipt against the validator keys, and catches a forged one', async () => {
    const validators = t.ledger.genesis.validators;
    const problems = await inBrowser<(string | null)[]>(`
      const { receipt, envelope, validators } = input;
      const forged = { ...receipt, result: { status: 'rejected', code: 'insufficient_funds', operation: 0 } };
      const otherBody = { ...envelope, body: { ...envelope.body, reference: 'BROWSER-2' } };
      return [sdk.receiptProblem(receipt, envelope, validators), sdk.receiptProblem(forged, envelope, validators), sdk.receiptProblem(receipt, otherBody, validators)];
    `, { receipt, envelope, validators });
    assert.equal(problems[0], null);
    assert.notEqual(problems[1], null, 'a changed result does not verify');
    assert.notEqual(problems[2], null, 'a changed body does not verify');
  });

  it('hashes and signs a transaction exactly as Node does', async () => {
    const unsigned = body(t.network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }], { reference: 'BROWSER-3' });
    const seed = Array.from({ length: 32 }, (_, i) => i + 1);
    const signed = await inBrowser<{ hash: string; envelope: TransactionEnvelope; publicKey: string }>(`
      const signer = new sdk.SeedSigner('acme', 'acme-browser', new Uint8Array(input.seed));
      const envelope = await sdk.signTransaction(input.body, [signer]);
      return { hash: sdk.transactionHash(input.body), envelope, publicKey: signer.publicKey };
    `, { body: unsigned, seed });
    assert.equal(signed.hash, transactionHash(unsigned));
    const [signature] = signed.envelope.signatures;
    assert.equal(signature?.key, 'acme-browser');
    assert.ok(verifySignature(signed.publicKey, transactionSigningMessage(signed.hash), signature.signature), 'Node verifies the browser\'s signature');
  });
});
