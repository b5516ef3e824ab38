import { recordedBlocks } from '../../src/store/types.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signTransaction, verifyChain } from '../../src/chain/index.js';
import { encodeEntity, TABLE_NAMES, type LedgerState } from '../../src/core/index.js';
import { body, openTestLedger, signerOf, tempDir } from '../helpers.js';

const dump = (state: LedgerState) => TABLE_NAMES.map((t) => [...state.table(t)].map(([id, e]) => `${id}:${encodeEntity(t, e)}`).sort().join(',')).join('|');

describe('restart', () => {
  it('keeps every block, balance, hold and spent id, and goes on from the head', async () => {
    const dir = tempDir();
    try {
      const first = await openTestLedger({ dir: dir.path });
      await first.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
      await first.submit('acme', [{ type: 'hold', hold: 'h', from: 'acme-usd', to: 'globex-usd', amount: '30.00', expiresAtMs: Date.now() + 60_000 }]);
      const envelope = await signTransaction(body(first.network, 'acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '5.00' }]), [signerOf(first.network, 'acme')]);
      const paid = await first.ledger.submit(envelope, true);
      const before = { state: dump(first.ledger.state), head: first.ledger.engine.head };
      await first.ledger.close();

      const second = await openTestLedger({ dir: dir.path, network: first.network });
      assert.equal(dump(second.ledger.state), before.state);
      assert.deepEqual(second.ledger.engine.head, before.head);
      const replay = await second.ledger.submit(envelope, true);
      assert.equal(replay.replayed, true);
      assert.deepEqual(replay.status === 'sealed' && replay.receipt, paid.status === 'sealed' && paid.receipt);
      const posted = await second.submit('acme', [{ type: 'post', hold: 'h', amount: '10.00' }]);
      assert.equal(posted.result.status, 'committed');
      assert.equal(posted.block.header.height, (before.head?.header.height ?? 0) + 1);
      assert.equal(posted.block.header.previousHash, before.head?.hash);
      assert.equal(second.ledger.state.accounts.get('globex-usd')?.availableMinor, 1500n);
      const report = await verifyChain(second.ledger.genesis, recordedBlocks(second.ledger.store), { invariantsEveryBlock: true });
      assert.equal(report.failure, null);
      assert.equal(dump(report.state), dump(second.ledger.state));
      await second.ledger.close();
    } finally {
      dir.remove();
    }
  });

  it('refuses to open a store that belongs to another network', async () => {
    const dir = tempDir();
    try {
      const first = await openTestLedger({ dir: dir.path });
      await first.ledger.close();
      await assert.rejects(openTestLedger({ dir: dir.path }), /another network/);
    } finally {
      dir.remove();
    }
  });

  it('cuts a block for a hold that expires with nothing else happening', async () => {
    const t = await openTestLedger();
    try {
      await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D' }]);
      await t.submit('acme', [{ type: 'hold', hold: 'soon', from: 'acme-usd', to: 'globex-usd', amount: '40.00', expiresAtMs: Date.now() + 150 }]);
      const expired = await new Promise<readonly string[]>((resolve) => t.ledger.on('block', (b) => {
        const holds = (b.records?.events ?? []).filter((e) => e.type === 'hold_expired').map((e) => e.data.hold as string);
        if (holds.length > 0) resolve(holds);
      }));
      assert.deepEqual(expired, ['soon']);
      assert.equal(t.ledger.state.accounts.get('acme-usd')?.availableMinor, 10_000n);
      assert.equal(t.ledger.state.holds.get('soon')?.status, 'expired');
      assert.deepEqual(t.violations, []);
    } finally {
      await t.close();
    }
  });
});
