import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { disclose, disclosedHash, transactionHash, type TransactionEnvelope } from '../../src/chain/index.js';
import type { TransactionBody } from '../../src/core/index.js';

/**
 * A transaction's hash and a party's disclosed view of it are the chain's format: a
 * signature, a receipt and an inclusion proof all rest on them. The values below were
 * computed by the code before operation digests were reworked (bf20a96); they must never
 * change without a new format version.
 */
const body: TransactionBody = {
  network: 'golden', id: 'bulk-1', sender: 'acme', validUntilMs: 1_800_000_000_000, atomic: false, salt: Buffer.alloc(32, 7).toString('base64url'),
  operations: [
    { type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' },
    { type: 'transfer', from: 'acme-usd', to: 'initech-usd', amount: '2.50' },
    { type: 'issue', account: 'acme-usd', amount: '3.00', depositReference: 'DEP-1' },
  ],
};

describe('transaction hashes and disclosure', () => {
  it('hashes a transaction as the chain always has', () => {
    assert.equal(transactionHash(body), '9e0f03c06199231d89a813ba7976f4cae3b3e4b496baeab66831b6602e300108');
  });

  it("shows a party only its operations, with their salts, and the others' digests; the view has the whole transaction's hash", () => {
    const envelope: TransactionEnvelope = { body, signatures: [] };
    const view = disclose(envelope, (index) => index === 1);
    assert.deepEqual(view.body.operations, [
      { digest: '24448a715ded1596abbc864332124790fc9d3bd05994ebe53d0bce95c084ddd5' },
      { operation: body.operations[1], salt: '1d6f5ec2ca44facfd3ae8acb807f626da21485f585585a17c2e2555b639cbccd' },
      { digest: '6489529420179811a6c633a10349697c4c71c1a23346c84645e0d60c7cf41e01' },
    ]);
    assert.ok(!('salt' in view.body), 'the secret salt is not shown');
    assert.equal(disclosedHash(view.body), transactionHash(body));
    const changed = { ...view.body, operations: [view.body.operations[0]!, { operation: { ...body.operations[1]!, amount: '2.51' }, salt: '1d6f5ec2ca44facfd3ae8acb807f626da21485f585585a17c2e2555b639cbccd' }, view.body.operations[2]!] };
    assert.notEqual(disclosedHash(changed as typeof view.body), transactionHash(body), 'a disclosed operation changed no longer has the hash');
  });

  it('refuses a salt in any spelling but its canonical one', () => {
    // The last of 43 characters carries two bits of the 32nd byte and four spare ones: another spelling of the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(body.salt.at(-1)!);
    const spare = `${body.salt.slice(0, -1)}${alphabet[last ^ 1]!}`;
    assert.deepEqual(Buffer.from(spare, 'base64url'), Buffer.from(body.salt, 'base64url'), 'the same bytes');
    assert.throws(() => transactionHash({ ...body, salt: spare }), /canonical base64url of 32 bytes/);
    assert.throws(() => disclose({ body: { ...body, salt: spare }, signatures: [] }, () => true), /canonical base64url of 32 bytes/);
  });
});
