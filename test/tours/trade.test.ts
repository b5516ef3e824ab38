import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { tourOnNode } from './run.js';

describe('the README trade tour', () => {
  it('works as written: drafted from English and Chinese, signed by both, funded, released by the bill of lading and the acceptance; the second disputed and refunded', (t) => tourOnNode(t, 'trade', async (outputs, auditor) => {
    assert.match(outputs[0]!, /English conversation between Lena \(Acme Logistics\) and Wei \(Shenzhen Sound Co\.\)/);
    assert.match(outputs[0]!, /goods\[0\]\s+wireless earbuds 5000 unit 12\.00\s+0\.9\s+#0: "5,000 units of wireless earbuds"/);
    assert.match(outputs[0]!, /the buyer's participant and paying account on the ledger \(Lena \(Acme Logistics\)\)/);
    assert.match(outputs[1]!, /agreement earbuds-2027 v1 proposed, sha256 [0-9a-f]{64}/);
    assert.match(outputs[2]!, /committed in block/);
    assert.match(outputs[3]!, /not signed by both parties yet \(signed by acme\)/);
    assert.match(outputs[7]!, /committed in block/);
    assert.match(outputs[10]!, /committed in block/);
    assert.match(outputs[11]!, /committed in block/);
    assert.match(outputs[13]!, /payment earbuds-2027-v1: completed, 60,000\.00 USD[\s\S]*signing\s+18,000\.00\s+released[\s\S]*shipment\s+36,000\.00\s+released[\s\S]*delivery\s+6,000\.00\s+released/);
    assert.match(outputs[14]!, /globex-sgd\s+globex\s+sgd-scb\s+48,510\.00/);
    assert.match(outputs[15]!, /agreement earbuds-zh v1 proposed/);
    assert.match(outputs[21]!, /payment earbuds-zh-v1: completed, 60,000\.00 USD[\s\S]*shipment\s+36,000\.00\s+returned[\s\S]*delivery\s+6,000\.00\s+returned/);
    assert.match(outputs[21]!, /signing\s+18,000\.00\s+released/);
    const acme = await auditor.account('acme-usd') as unknown as { available: string };
    // 200,000 minted; 60,000 paid for the first trade; 18,000 for the second's signing tranche, the rest refunded.
    assert.equal(acme.available, '122000.00');
    // 24,000 of the first (the signing and delivery tranches; the shipment's 36,000 converted) and 18,000 of the second.
    const globex = await auditor.account('globex-usd') as unknown as { available: string };
    assert.equal(globex.available, '42000.00');
    const bank = await auditor.account('straits-bank-usd') as unknown as { available: string };
    assert.equal(bank.available, '36000.00');
    const fx = await auditor.settlement('earbuds-2027-v1-shipment-fx');
    assert.equal(fx.status, 'settled');
    assert.deepEqual(fx.legs.map((leg) => [leg.from, leg.to, leg.amount]), [['globex-usd', 'straits-bank-usd', '36000.00'], ['straits-bank-sgd', 'globex-sgd', '48510.00']]);
    const signed = await auditor.events({ types: ['agreement_signed'] });
    assert.equal(signed.data.filter((e) => e.data['concluded'] === true).length, 2);
    const pdf = await auditor.request<Uint8Array>('GET', '/v1/trade/agreements/earbuds-zh/document?format=pdf');
    assert.equal((await PDFDocument.load(pdf)).getTitle(), 'Trade agreement earbuds-zh v1');
    const html = await auditor.request<string>('GET', '/v1/trade/agreements/earbuds-zh/document');
    assert.match(html, /蓝牙耳机/);
  }, { args: ['--modules', 'trade'] }));
});
