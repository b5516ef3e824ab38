import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README conditional payments tour', () => {
  it('works as written', (t) => tourOnNode(t, 'conditional', async (outputs, auditor) => {
    assert.deepEqual([(await auditor.account('acme-usd')).available, (await auditor.account('acme-usd')).held], ['6000.00', '0.00']);
    assert.equal((await auditor.account('globex-usd')).available, '94000.00');
    const payment = await auditor.conditionalPayment('po-7');
    assert.deepEqual([payment.status, payment.released, payment.awarded, payment.locked], ['completed', '90000.00', '4000.00', '0.00']);
    assert.match(outputs[1]!, /simulated: would commit[\s\S]*tranche_released[\s\S]*acme-usd\s+0\.00\s+70,000\.00/);
    assert.match(outputs[3]!, /shipment\s+60,000\.00\s+pending\s+bill_of_lading from oceanic-lines/);
  }));
});
