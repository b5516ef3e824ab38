import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README settlements tour', () => {
  it('works as written: a DvP of the demo bond and a USD/SGD PvP', (t) => tourOnNode(t, 'settlement', async (outputs, auditor) => {
    const available = async (account: string) => (await auditor.account(account)).available;
    assert.deepEqual(await Promise.all(['acme-bond', 'acme-usd', 'acme-sgd', 'globex-bond', 'globex-usd', 'globex-sgd'].map(available)), ['1000', '0.00', '6750.00', '0', '990000.00', '0.00']);
    assert.deepEqual([(await auditor.settlement('dvp-1')).status, (await auditor.settlement('fx-1')).status], ['settled', 'settled']);
    assert.match(outputs[5]!, /waiting for: globex to allocate leg 0; globex to approve leg 1/);
  }));
});
