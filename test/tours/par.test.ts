import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README payments at par tour', () => {
  it('works as written: two US dollar banks, a cap, the net settlement report', (t) => tourOnNode(t, 'par', async (outputs, auditor) => {
    const available = async (account: string) => (await auditor.account(account)).available;
    assert.deepEqual(await Promise.all(['acme-usd', 'globex-usd-scb', 'first-meridian-usd', 'straits-bank-usd-scb'].map(available)), ['5900000.00', '3100000.00', '12100000.00', '7900000.00']);
    assert.match(outputs[6]!, /usd-fmb\s+USD\s+first-meridian\s+first-meridian-usd\s+none[\s\S]*usd-scb\s+USD\s+straits-bank\s+straits-bank-usd-scb\s+5,000,000\.00/);
    assert.match(outputs[9]!, /rejected: par_cap_exceeded[\s\S]*would owe straits-bank 5100000\.00 net today/);
    assert.match(outputs[10]!, /USD\s+first-meridian\s+straits-bank\s+2,500,000\.00\s+400,000\.00\s+2\s+first-meridian\s+2,100,000\.00/);
    const report = await auditor.netSettlement();
    assert.deepEqual(report.positions.map((p) => [p.bankA, p.bankB, p.aOwesB, p.bOwesA, p.payer, p.net]), [['first-meridian', 'straits-bank', '2500000.00', '400000.00', 'first-meridian', '2100000.00']]);
    assert.equal(report.final, false);
  }));
});
