import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createDemoNetwork } from '../../src/node/demo.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { FencedError } from '../../src/store/types.js';
import { eventually, NETWORK, openTestLedger } from '../helpers.js';
import { freshSchema, postgresSkip } from '../postgres.js';

const skip = await postgresSkip();
/** Long enough that no stall of a busy machine lets a lease run out by itself; tests end leases on purpose. */
const TTL_MS = 60_000;

/** Makes the lease of `epoch` run out now (by the database's clock), as if its holder had stalled. */
async function expire(store: PostgresStore, epoch: number): Promise<void> {
  assert.equal(await store.lease.renew(epoch, 1), true);
  await sleep(20);
}

/** A sequencer on its own store of `url`: the lease taken as `holder`, its writes fenced by that epoch, a ledger over it. */
async function fencedSequencer(url: string, network: ReturnType<typeof createDemoNetwork>, holder: string) {
  const store = await PostgresStore.open(url);
  const epoch = (await store.lease.acquire(holder, `http://${holder}`, TTL_MS))!;
  store.lease.fence(epoch);
  const ledger = await openTestLedger({ network, store, dir: 'unused' });
  return { store, epoch, ledger };
}

describe('sequencer lease and fencing (PostgreSQL)', { skip }, () => {
  it('gives the lease to one holder at a time, with a new epoch on each takeover', async () => {
    const { url, drop } = await freshSchema('lease');
    const [a, b] = [await PostgresStore.open(url), await PostgresStore.open(url)];
    try {
      assert.equal(await a.lease.acquire('a', 'http://a', TTL_MS), 1);
      assert.equal(await b.lease.acquire('b', 'http://b', TTL_MS), null, 'held and not expired');
      assert.equal(await a.lease.renew(1, TTL_MS), true);
      const held = await b.lease.current();
      assert.deepEqual({ epoch: held?.epoch, holder: held?.holder, url: held?.url }, { epoch: 1, holder: 'a', url: 'http://a' });
      assert.ok(held!.expiresInMs > 0 && held!.expiresInMs <= TTL_MS);
      await expire(a, 1);
      assert.equal((await b.lease.current())?.expiresInMs, 0);
      assert.equal(await b.lease.acquire('b', 'http://b', TTL_MS), 2);
      assert.equal(await a.lease.renew(1, TTL_MS), false, 'the old epoch cannot renew');
      assert.equal(await a.lease.acquire('a', 'http://a', TTL_MS), null);
      assert.equal(await b.lease.acquire('b', 'http://b', TTL_MS), 3, 'the holder may take its own lease again');
      await a.lease.release(2);
      assert.equal(await a.lease.acquire('a', 'http://a', TTL_MS), null, 'a stale epoch cannot release it');
      await b.lease.release(3);
      assert.equal(await a.lease.acquire('a', 'http://a', TTL_MS), 4, 'released at a clean shutdown: taken at once');
    } finally {
      await a.close();
      await b.close();
      await drop();
    }
  });

  it('refuses every write of a sequencer whose epoch lost the lease, and loses nothing of the new one', async () => {
    const { url, drop } = await freshSchema('fence');
    const network = createDemoNetwork(NETWORK, Date.now());
    const { store: oldStore, epoch, ledger: old } = await fencedSequencer(url, network, 'old');
    try {
      await old.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D1' }]);
      const heightBefore = old.ledger.engine.head!.header.height;

      // The old sequencer stalls past its lease; another node takes over and writes the next block.
      await expire(oldStore, epoch);
      const newStore = await PostgresStore.open(url);
      const newEpoch = (await newStore.lease.acquire('new', 'http://new', 10_000))!;
      assert.equal(newEpoch, epoch + 1);
      newStore.lease.fence(newEpoch);
      const successor = await openTestLedger({ network, store: newStore, dir: 'unused' });
      await successor.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]);

      // The stale one wakes and tries to write: its block is refused whole, and so is its snapshot.
      await assert.rejects(old.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '2.00' }]), /no longer holds the sequencer lease/);
      assert.ok(old.ledger.engine.failed instanceof FencedError);
      await assert.rejects(oldStore.saveSnapshot(heightBefore, []), FencedError);

      const head = await newStore.head();
      assert.equal(head?.header.height, heightBefore + 1, 'only the new sequencer wrote');
      assert.deepEqual((await newStore.blockTransactions(head!.header.height)).map((tx) => tx.result.status), ['committed']);
      await successor.close();
    } finally {
      await old.close().catch(() => undefined);
      await drop();
    }
  });

  it("is not held by a sequencer frozen inside a block's commit: the server ends its session, and the lease is taken over", async () => {
    const { url, drop } = await freshSchema('frozen');
    const network = createDemoNetwork(NETWORK, Date.now());
    const { store: frozenStore, epoch, ledger: frozen } = await fencedSequencer(url, network, 'frozen');
    const other = await PostgresStore.open(url);
    // The process stops (SIGSTOP, a paused VM) after its commit locked the lease row, before the block's row is sent.
    const query = pg.Client.prototype.query;
    let release: (() => void) | undefined;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string } | undefined)?.text;
      if (release === undefined && text?.startsWith('INSERT INTO blocks') === true) {
        return new Promise((_, reject) => (release = () => reject(new Error('the frozen process woke'))));
      }
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      const stuck = frozen.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'D-FROZEN' }]).catch((error: Error) => error);
      await eventually('the commit to freeze', async () => release !== undefined);
      // Its lease runs out; the renewal and the takeover need the lease row the frozen transaction locked.
      await expire(frozenStore, epoch);
      assert.equal(await other.lease.acquire('other', 'http://other', TTL_MS), epoch + 1);
      release!();
      assert.ok((await stuck) instanceof Error, 'the frozen block is not acknowledged');
    } finally {
      pg.Client.prototype.query = query;
      release?.();
      await frozen.close().catch(() => undefined);
      await other.close();
      await drop();
    }
  });
});
