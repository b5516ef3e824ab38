import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from './run.js';

describe('the README standing instructions tour', () => {
  it('works as written', (t) => tourOnNode(t, 'instructions', async (outputs, auditor) => {
    assert.match(outputs[3]!, /simulated: would commit[\s\S]*month-end\s+moves 750,000\.00[\s\S]*month-end\s+nothing to move[\s\S]*acme-reserve\s+750,000\.00/);
    assert.match(outputs[6]!, /conflict \(cycle\): floor, month-end move money around/);
    // The split runs at the start of the block after Globex's payment: the sequencer cuts it at once.
    for (const deadline = Date.now() + 60_000; (await auditor.account('initech-usd')).available !== '15000.00'; await new Promise((resolve) => setTimeout(resolve, 20))) {
      assert.ok(Date.now() < deadline, 'the split never ran');
    }
    assert.equal((await auditor.account('acme-usd')).available, '1135000.00');
    const { data } = await auditor.instructions({ owner: 'acme' });
    assert.deepEqual(data.map((i) => [i.id, i.status]), [['floor', 'cancelled'], ['month-end', 'active'], ['rent', 'active'], ['royalties', 'active']]);
    assert.equal(data.find((i) => i.id === 'royalties')!.runs, 1);
  }));
});
