import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README core-banking tour', () => {
  it('works as written: a deposit minted, a redemption paid out and settled, the day reconciled', (t) => tourOnNode(t, 'banking', async (outputs, auditor) => {
    assert.match(outputs[3]!, /sent camt\.054: ACME-DDA-4410 paid in 250000\.00 USD[\s\S]*: taken/);
    assert.match(outputs[4]!, /FMB-OMNIBUS-USD\/SIM\d+\s+ACME-DDA-4410\s+250,000\.00 USD\s+minted\s+acme-usd/);
    assert.match(outputs[7]!, /acme-usd\s+100,000\.00\s+RDM-0001\s+settled\s+ACSC/);
    assert.match(outputs[9]!, /reconciled: supply = omnibus balance/);
    assert.match(outputs[10]!, /chain valid: .*\nreconciliation attestations: 1, each attested supply is the chain's at its cut-off/);
    assert.equal((await auditor.account('acme-usd')).available, '150000.00');
    const { data } = await auditor.events({ types: ['reconciliation_attested'] });
    assert.deepEqual(data.map((e) => [e.data['reconciled'], e.data['breaks'], e.data['statementBalance'] === e.data['supply']]), [[true, 0, true]]);
  }, { args: ['--modules', 'banking'] }));
});
