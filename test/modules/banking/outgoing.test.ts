import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildPacs004, buildPacs008, buildPain001, SchemaDirectory, sumAmounts, uetrFor, type CreditTransfer } from '../../../src/modules/banking/iso20022/index.js';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
function schemas(): SchemaDirectory {
  assert.ok(existsSync(XSD_DIR), `the ISO 20022 XSDs are expected in ${XSD_DIR}`);
  return new SchemaDirectory(XSD_DIR);
}

const HEADER = { messageId: 'DEPOSITUM-P008-0007', createdAt: '2026-11-22T16:00:00Z' };

/** A redemption of Acme's tokens paid out from First Meridian's omnibus account to Acme's account at another bank. */
function payout(extra: Partial<CreditTransfer> = {}): CreditTransfer {
  return {
    instructionId: 'RDM-0007', endToEndId: 'RDM-0007', uetr: uetrFor('redemption/acme/RDM-0007'), amount: '1200.50', currency: 'USD', settlementDate: '2026-11-23',
    debtor: { name: 'First Meridian Bank, N.A.', address: { street: 'Wall Street', buildingNumber: '60', postCode: '10005', town: 'New York', country: 'US' }, account: 'OMNIBUS-USD-001', agentBic: 'FMBKUS33' },
    creditor: { name: 'Acme Logistics Inc. & Sons <Treasury>', address: { town: 'Chicago', country: 'US' }, account: 'GB33BUKB20201555555555', agentBic: 'BUKBGB22XXX' },
    remittance: 'Redemption of 1200.50 usd-fmb, ledger transaction 8a56c2',
    ...extra,
  };
}

async function valid(xml: string, message: string): Promise<void> {
  const verdict = await schemas().validate(xml, message);
  assert.deepEqual(verdict.errors, [], xml);
  assert.equal(verdict.valid, true);
}

describe('ISO 20022 messages to the bank', () => {
  it('builds a pacs.008.001.09 payout valid against the official XSD, with structured addresses and escaped names', async () => {
    const xml = buildPacs008(HEADER, [payout(), payout({ instructionId: 'RDM-0008', endToEndId: 'RDM-0008', uetr: uetrFor('RDM-0008'), amount: '99' })], { settlementMethod: 'INDA', chargeBearer: 'SHAR' });
    await valid(xml, 'pacs.008.001.09');
    assert.match(xml, /<IntrBkSttlmAmt Ccy="USD">1200\.50<\/IntrBkSttlmAmt>/);
    assert.match(xml, /<PstlAdr>\s*<TwnNm>Chicago<\/TwnNm>\s*<Ctry>US<\/Ctry>\s*<\/PstlAdr>/);
    assert.match(xml, /Acme Logistics Inc\. &amp; Sons &lt;Treasury&gt;/);
    assert.match(xml, /<Othr>\s*<Id>OMNIBUS-USD-001<\/Id>/);
    assert.match(xml, /<IBAN>GB33BUKB20201555555555<\/IBAN>/);
  });

  it('builds a pain.001.001.10 batch for the bank\'s payment engine, its control sum exact, valid against the XSD', async () => {
    const xml = buildPain001(HEADER, { paymentInformationId: 'PAYOUTS-20261123', initiatingParty: 'Depositum banking module' }, [payout(), payout({ endToEndId: 'RDM-0009', instructionId: 'RDM-0009', amount: '0.1' }), payout({ endToEndId: 'RDM-0010', instructionId: 'RDM-0010', amount: '0.2' })]);
    await valid(xml, 'pain.001.001.10');
    assert.equal(xml.match(/<CtrlSum>1200\.80<\/CtrlSum>/g)?.length, 2, '0.1 + 0.2 is 0.3 here');
  });

  it('builds a pacs.004.001.10 return of an unmintable credit, valid against the XSD', async () => {
    const xml = buildPacs004(HEADER, [{ returnId: 'RTN-0001', original: { messageId: 'FMB-C54-20261122-0001', messageType: 'camt.054.001.08', endToEndId: 'ACME-TOKENISE-0042', uetr: '8a562c67-ca16-48ba-b074-65581be6f001' }, amount: '250000.00', currency: 'USD', settlementDate: '2026-11-22', reason: 'AC01', info: 'no token account linked to the sending account' }], { settlementMethod: 'INDA' });
    await valid(xml, 'pacs.004.001.10');
  });

  it('refuses what the bank would refuse, before writing anything', () => {
    const build = (t: CreditTransfer) => () => buildPacs008(HEADER, [t], { settlementMethod: 'INDA', chargeBearer: 'SHAR' });
    assert.throws(build(payout({ creditor: { ...payout().creditor, address: { town: '', country: 'US' } } })), /structured address needs a town and an ISO 3166 country/);
    assert.throws(build(payout({ creditor: { ...payout().creditor, address: { town: 'Chicago', country: 'USA' } } })), /structured address/);
    assert.throws(build(payout({ amount: '1e3' })), /not a positive decimal amount/);
    assert.throws(build(payout({ amount: '0.00' })), /not a positive decimal amount/);
    assert.throws(build(payout({ currency: 'usd' })), /ISO 4217/);
    assert.throws(build(payout({ endToEndId: 'E'.repeat(36) })), /end-to-end id must be 1 to 35 characters/);
    assert.throws(build(payout({ uetr: 'not-a-uuid' })), /version 4 UUID/);
    assert.throws(build(payout({ debtor: { ...payout().debtor, agentBic: 'FMB' } })), /not a BIC/);
    assert.throws(() => buildPain001(HEADER, { paymentInformationId: 'P', initiatingParty: 'D' }, [payout(), payout({ settlementDate: '2026-11-24' })]), /one account on one date/);
  });

  it('derives one UETR per payout, a version 4 UUID, the same every time', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      assert.match(uetrFor(a), /^[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}$/);
      assert.equal(uetrFor(a), uetrFor(a));
      if (a !== b) assert.notEqual(uetrFor(a), uetrFor(b));
    }));
  });

  it('sums amounts exactly, whatever their scales', () => {
    assert.equal(sumAmounts(['0.1', '0.2']), '0.3');
    assert.equal(sumAmounts(['1', '2.50', '0.005']), '3.505');
    fc.assert(fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 20 }), (cents) => {
      const text = (c: bigint) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`;
      assert.equal(sumAmounts(cents.map(text)), text(cents.reduce((s, c) => s + c, 0n)));
    }));
  });
});
