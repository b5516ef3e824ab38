import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signTransaction } from '../../src/chain/index.js';
import { checkInvariants, encodeEntity, TABLE_NAMES, type LedgerState, type Operation } from '../../src/core/index.js';
import { createDemoNetwork } from '../../src/node/demo.js';
import { Ledger } from '../../src/node/ledger.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { body, NETWORK, openTestLedger, signerOf } from '../helpers.js';
import { freshSchema, postgresSkip } from '../postgres.js';

const skip = await postgresSkip();
const dump = (state: LedgerState) => TABLE_NAMES.map((t) => [...state.table(t)].map(([id, e]) => `${id}=${encodeEntity(t, e)}`).sort().join(',')).join('|');

describe('a ledger changing roles on a shared PostgreSQL', { skip }, () => {
  it('follows, is promoted on top of every block, steps down, and follows its successor, never applying a block twice', async () => {
    const { url, drop } = await freshSchema('roles');
    const network = createDemoNetwork(NETWORK, Date.now());
    const submit = async (ledger: Ledger, sender: string, operations: Operation[]) => {
      const outcome = await ledger.submit(await signTransaction(body(network, sender, operations), [signerOf(network, sender)]), true);
      assert.ok(outcome.status === 'sealed' && outcome.receipt.result.status === 'committed');
    };
    const pay = (amount: string): Operation[] => [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }];

    const firstStore = await PostgresStore.open(url);
    firstStore.lease.fence((await firstStore.lease.acquire('first', 'http://first', 60_000))!);
    const first = (await openTestLedger({ network, store: firstStore, dir: 'unused' })).ledger;
    const secondStore = await PostgresStore.open(url);
    const second = await Ledger.open({ role: 'follower', store: secondStore, genesis: network.genesis, validators: [network.validator] });
    try {
      await submit(first, 'first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D-ROLES' }]);
      await submit(first, 'acme', pay('1.00'));
      assert.equal(second.role, 'follower');
      await Promise.all([second.follow(), second.follow(), second.reach(first.engine.head!.header.height, 5_000)]);
      assert.equal(second.engine.head?.hash, first.engine.head?.hash);
      assert.equal(dump(second.state), dump(first.state));
      await assert.rejects(second.submit(await signTransaction(body(network, 'acme', pay('1.00')), [signerOf(network, 'acme')]), true), /not the sequencer/);

      // The first sequencer writes one more block, then loses the lease; the second is promoted and must see that block.
      await submit(first, 'acme', pay('2.00'));
      await secondStore.lease.acquire('second', 'http://second', 60_000).then((epoch) => assert.equal(epoch, null, 'held'));
      await firstStore.lease.renew(1, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const epoch = (await secondStore.lease.acquire('second', 'http://second', 60_000))!;
      secondStore.lease.fence(epoch);
      const racing = second.follow();
      await second.promote();
      await racing;
      assert.equal(second.role, 'sequencer');
      assert.equal(second.engine.head?.hash, first.engine.head?.hash, 'promoted on top of the last block');
      await submit(second, 'acme', pay('3.00'));
      assert.equal(second.engine.failed, null);

      // The old sequencer's next block is fenced; it steps down, reopens and follows.
      await assert.rejects(submit(first, 'acme', pay('4.00')), /no longer holds the sequencer lease/);
      await first.demote('lost the lease');
      assert.equal(first.role, 'follower');
      assert.equal(first.engine.failed, null);
      await first.follow();
      assert.equal(first.engine.head?.hash, second.engine.head?.hash);
      assert.equal(dump(first.state), dump(second.state));
      assert.equal(first.state.accounts.get('globex-usd')?.availableMinor, 600n);
      assert.deepEqual(checkInvariants(second.state), []);
    } finally {
      await first.close().catch(() => undefined);
      await second.close();
      await drop();
    }
  });
});
