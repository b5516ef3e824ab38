import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

const SANCTIONS = new URL('../../../shared/data/sanctions/', import.meta.url).pathname;

describe('the README compliance tour', () => {
  it('works as written: a listed name blocked, a close one held for review, structuring and a cycle alerted, a case confirmed with a freeze, the STR filed, a cross-border payment refused without Travel Rule data and paid with it', (t) => tourOnNode(t, 'compliance', async (outputs, auditor) => {
    assert.match(outputs[0]!, /Banco Nacional de Cuba: block[\s\S]*block\s+1\.000\s+ofac-sdn:306\s+BANCO NACIONAL DE CUBA\s+CUBA/);
    assert.match(outputs[2]!, /screening_review_required/);
    assert.match(outputs[4]!, /rosneft-trading\s+Rosneft Trading\s+registered@\S+\s+review/);
    assert.match(outputs[12]!, /structuring\s+acme-usd/);
    assert.match(outputs[12]!, /cycle\s+initech-usd/);
    assert.match(outputs[15]!, /case CASE-2026-0001: confirmed[\s\S]*freeze acme-usd: done/);
    assert.match(outputs[16]!, /account_frozen/);
    assert.match(outputs[17]!, /STR-\S+: suspicious transaction report \(goaml-xml, case-\S+\): filed, sha256 [0-9a-f]{64}, on the ledger in [0-9a-f]{64}/);
    assert.match(outputs[18]!, /STR-\S+\s+suspicious_transaction\s+case-\S+\s+filed/);
    assert.match(outputs[20]!, /travel_rule_required/);
    assert.match(outputs[21]!, /committed in block/);
    const filed = await auditor.events({ types: ['report_filed'] });
    assert.equal(filed.data.filter((e) => e.data['kind'] === 'suspicious_transaction').length, 1);
    assert.equal((await auditor.account('acme-usd') as unknown as { frozen: boolean }).frozen, true);
  }, { args: ['--modules', 'compliance'], env: { DEPOSITUM_SANCTIONS_LISTS: `${SANCTIONS}ofac,${SANCTIONS}un/consolidated.xml` } }));
});
