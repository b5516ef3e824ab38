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
    assert.match(outputs[9]!, /payment earbuds-2027-v1: completed, 60,000\.00 USD[\s\S]*signing\s+18,000\.00\s+released[\s\S]*shipment\s+36,000\.00\s+released[\s\S]*delivery\s+6,000\.00\s+released/);
    assert.match(outputs[10]!, /agreement earbuds-zh v1 proposed/);
    assert.match(outputs[16]!, /payment earbuds-zh-v1: completed, 60,000\.00 USD[\s\S]*shipment\s+36,000\.00\s+returned[\s\S]*delivery\s+6,000\.00\s+returned/);
    assert.match(outputs[16]!, /signing\s+18,000\.00\s+released/);
    const acme = await auditor.account('acme-usd') as unknown as { available: string };
    // 200,000 minted; 60,000 paid for the first trade; 18,000 for the second's signing tranche, the rest refunded.
    assert.equal(acme.available, '122000.00');
    const globex = await auditor.account('globex-usd') as unknown as { available: string };
    assert.equal(globex.available, '78000.00');
    const signed = await auditor.events({ types: ['agreement_signed'] });
    assert.equal(signed.data.filter((e) => e.data['concluded'] === true).length, 2);
    const pdf = await auditor.request<Uint8Array>('GET', '/v1/trade/agreements/earbuds-zh/document?format=pdf');
    assert.equal((await PDFDocument.load(pdf)).getTitle(), 'Trade agreement earbuds-zh v1');
    const html = await auditor.request<string>('GET', '/v1/trade/agreements/earbuds-zh/document');
    assert.match(html, /蓝牙耳机/);
  }, { args: ['--modules', 'trade'] }));
});
