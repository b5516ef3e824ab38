import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README reserves tour', () => {
  it('works as written: the register passes the Hong Kong profile, minting is throttled under 110% and refused past the ceiling, restored by more reserves, the day attested and verified', (t) => tourOnNode(t, 'reserves', async (outputs, auditor) => {
    assert.match(outputs[1]!, /register version 2 \(positions, 13 rows, as of 2026-12-04\)/);
    assert.match(outputs[2]!, /hkd-hsi under hk \(register v2 as of 2026-12-04\): pass/);
    assert.match(outputs[2]!, /tier_top\s+35\.13%\s+≥ 30\.00%\s+pass/);
    assert.match(outputs[3]!, /market\s+[\d,.]+\s+∞/);
    assert.match(outputs[3]!, /hong-kong-freeze\s+4,645,376\.40/);
    assert.match(outputs[6]!, /minting throttled to 4,175,470\.00 per minter \(cov 109\.07 liq 153\.30 v2\)/);
    assert.match(outputs[6]!, /harbour-stable\s+4,175,470\.00\s+949,824,530\.00/);
    assert.match(outputs[7]!, /allowance_exceeded/);
    assert.match(outputs[8]!, /add\s+cash\s+top\s+[\d,.]+/);
    assert.match(outputs[10]!, /minting not throttled/);
    assert.match(outputs[10]!, /harbour-stable\s+954,000,000\.00\s+0\.00/);
    assert.match(outputs[11]!, /committed in block/);
    assert.match(outputs[12]!, /report 2026-12-05: attested in transaction reserves-attest-2026-12-05-[0-9a-f]{16}, sha256 [0-9a-f]{64}/);
    assert.match(outputs[13]!, /^verified: report 2026-12-05 of hkd-hsi is the one attested on the chain .*reserves 56,175,470\.00 cover the supply 51,000,000\.00; holding EFB-2027-02-18 is leaf \d+ of 14 under the attested root/m);
    assert.match(outputs[14]!, /^instrument_id,class,issuer/);
    assert.match(outputs[14]!, /EFB-2027-02-18,tbill,.*,top,2027-02-18/);
    const html = await auditor.request<string>('GET', '/v1/reserves/reports/2026-12-05?format=html');
    assert.equal((html.match(/<svg/g) ?? []).length, 2, 'two charts, rendered on the server');
    const events = await auditor.events({ types: ['minting_throttled', 'minting_throttle_lifted', 'reserves_attested'] });
    for (const type of ['minting_throttled', 'minting_throttle_lifted', 'reserves_attested']) assert.ok(events.data.some((e) => e.type === type), `a ${type} event`);
    assert.ok(events.data.some((e) => e.type === 'minting_throttled' && e.data['ceiling'] === '4175470.00'));
    assert.ok(events.data.some((e) => e.type === 'reserves_attested' && e.data['report'] === '2026-12-05' && e.data['covered'] === true && e.data['reserves'] === '56175470.00'));
  }, { args: ['--modules', 'reserves'] }));
});
