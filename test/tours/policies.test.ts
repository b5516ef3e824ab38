import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README maker-checker tour', () => {
  it('works as written: a payment held for the treasurer, a daily limit, the duty officer', (t) => tourOnNode(t, 'policies', async (outputs, auditor) => {
    assert.deepEqual([(await auditor.account('acme-usd')).available, (await auditor.account('globex-usd')).available, (await auditor.account('initech-usd')).available], ['2250000.00', '750000.00', '0.00']);
    assert.match(outputs[2]!, /globex-usd: match/);
    assert.match(outputs[3]!, /held back by a policy: waits for approval as proposal-1/);
    assert.match(outputs[4]!, /proposal-1\s+acme\s+pending\s+pay 750000\.00 from acme-usd to …\s+1 more of acme-treasurer/);
    assert.match(outputs[6]!, /rejected: daily_limit_exceeded[\s\S]*paid 750000\.00 today/);
    assert.match(outputs[7]!, /spent today 750,000\.00/);
    const [held, unfrozen] = [await auditor.proposal('proposal-1'), await auditor.proposal('proposal-2')];
    assert.deepEqual([held.status, held.approvals, unfrozen.status, unfrozen.proposer, unfrozen.approvals], ['executed', ['acme-treasurer'], 'executed', 'operator', ['duty-officer']]);
    assert.equal((await auditor.account('acme-usd')).frozen, false);
  }));
});
