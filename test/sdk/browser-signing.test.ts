import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transactionSigningMessage, verifySignature } from '../../src/chain/index.js';
import { buildApp } from '../../src/node/api/app.js';
import { DepositumApiError, DepositumClient, followEvents, KeyFileError, WebCryptoSigner, type LedgerEvent } from '../../src/sdk/index.js';
import type { LocalSigner } from '../../src/chain/local-signer.js';
import { openTestLedger, signerOf, tempDir, type TestLedger } from '../helpers.js';

/** A key file as the key store writes it. */
const keyFileOf = (signer: LocalSigner, changes: Record<string, unknown> = {}): string =>
  JSON.stringify({ participant: signer.participant, keyId: signer.keyId, publicKey: signer.publicKey, privateKeyPem: signer.privateKeyPem(), ...changes });

describe('the SDK for browsers: a WebCrypto signer from a key file, and the live event feed', () => {
  const dir = tempDir();
  let t: TestLedger;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let port: number;
  let url: string;
  before(async () => {
    t = await openTestLedger({ dir: dir.path });
    app = await buildApp({ ledger: t.ledger });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    port = Number(new URL(url).port);
    await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'DEP-FOLLOW' }]);
  });
  after(async () => {
    await app?.close();
    await t?.close();
    dir.remove();
  });

  it('signs with a non-extractable WebCrypto key imported from a key file, exactly as the file key does', async () => {
    const file = signerOf(t.network, 'acme');
    const signer = await WebCryptoSigner.fromKeyFile(keyFileOf(file));
    assert.equal(signer.participant, 'acme');
    const message = transactionSigningMessage('ab'.repeat(32));
    assert.deepEqual(Buffer.from(await signer.sign(message)), Buffer.from(await file.sign(message)), 'Ed25519 is deterministic: the same signature');
    const client = new DepositumClient({ url, signer, session: true });
    const paid = await client.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]);
    assert.equal(paid.status === 'sealed' && paid.receipt.result.status, 'committed');
    assert.ok(verifySignature(signer.publicKey, message, Buffer.from(await signer.sign(message)).toString('base64url')));
  });

  it('refuses a key file that is not one, or whose private half does not match its public key, saying why', async () => {
    const acme = signerOf(t.network, 'acme');
    await assert.rejects(WebCryptoSigner.fromKeyFile('not json'), (error: Error) => error instanceof KeyFileError && /not JSON/.test(error.message));
    await assert.rejects(WebCryptoSigner.fromKeyFile(keyFileOf(acme, { privateKeyPem: undefined })), /no privateKeyPem/);
    await assert.rejects(WebCryptoSigner.fromKeyFile(keyFileOf(acme, { privateKeyPem: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' })), /cannot be imported as Ed25519/);
    await assert.rejects(WebCryptoSigner.fromKeyFile(keyFileOf(acme, { publicKey: signerOf(t.network, 'globex').publicKey })), /does not match the public key/);
  });

  it('follows the feed live, and after the node goes away and comes back resumes where it left off: nothing missed, nothing twice', async () => {
    const globex = new DepositumClient({ url, signer: signerOf(t.network, 'globex'), session: true });
    const seen: LedgerEvent[] = [];
    const states: string[] = [];
    const stop = new AbortController();
    const arrived = (count: number): Promise<void> => new Promise((resolve) => {
      const check = setInterval(() => { if (seen.length >= count) { clearInterval(check); resolve(); } }, 20);
    });
    const following = followEvents(globex, { types: ['transferred'], signal: stop.signal }, { event: (event) => seen.push(event), state: (state) => states.push(state) });
    while (!states.includes('live')) await new Promise((resolve) => setTimeout(resolve, 20));
    const pay = (amount: string, to = 'globex-usd') => t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to, amount }]);
    await pay('2.00');
    await pay('3.00', 'initech-usd');
    await pay('4.00');
    await arrived(2);
    // The node stops; payments go on meanwhile (in the ledger, with no API); the node comes back on the same port.
    await app.close();
    await pay('5.00');
    app = await buildApp({ ledger: t.ledger });
    await app.listen({ port, host: '127.0.0.1' });
    await pay('6.00');
    await arrived(4);
    stop.abort();
    await following;
    assert.deepEqual(seen.map((event) => event.data['amount']), ['2.00', '4.00', '5.00', '6.00'], "only globex's transfers, each once, in order");
    assert.ok(states.includes('retrying'), 'it noticed the dropped connection');
  });

  it('rejects at once what retrying cannot mend: an unknown event type', async () => {
    const globex = new DepositumClient({ url, signer: signerOf(t.network, 'globex') });
    await assert.rejects(followEvents(globex, { types: ['teleported'], signal: new AbortController().signal }, { event: () => undefined }), (error: unknown) => error instanceof DepositumApiError && error.code === 'invalid_request');
  });
});
