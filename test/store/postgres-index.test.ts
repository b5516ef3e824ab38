import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type pg from 'pg';
import { PostgresDerivedIndex, type IndexRows } from '../../src/store/postgres-index.js';

/**
 * A database whose index transactions wait until let through (as behind a lock another
 * node holds): what the index does meanwhile is decided by it alone, not by timing.
 */
class HeldDatabase {
  indexedHeight = 0;
  private gates: (() => void)[] = [];
  started = 0;

  inTransaction = async <T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    this.started += 1;
    await new Promise<void>((resolve) => this.gates.push(resolve));
    const client = {
      query: async (text: string, values: unknown[] = []) => {
        if (text.startsWith('SELECT value FROM meta')) return { rows: [{ value: String(this.indexedHeight) }] };
        if (text.startsWith('UPDATE meta')) this.indexedHeight = Number(values[0]);
        return { rows: [] };
      },
    };
    return work(client as unknown as pg.PoolClient);
  };

  /** Lets every index transaction waiting so far go through. */
  letThrough(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

const rowsOf = (height: number): IndexRows => ({ height, transactions: [{ seq: height * 2 ** 20, hash: height.toString(16).padStart(64, '0'), sender: 'acme', id: `t-${height}` }], entries: [] });

/** Lets every promise settled so far run its reactions (no I/O is involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('PostgreSQL derived index behind the commit path', () => {
  it('finds what was committed before it is indexed, and holds at most so many blocks in memory: the next commit waits for the index', async () => {
    const db = new HeldDatabase();
    const index = new PostgresDerivedIndex(db.inTransaction, 3);
    for (const height of [1, 2, 3]) await index.committed(rowsOf(height));
    assert.equal(index.pendingSeqOfId('acme', 't-2'), 2 * 2 ** 20, 'found in memory while the index is held');
    assert.equal(index.covers(3), true);
    assert.equal(db.indexedHeight, 0);

    let fourth = false;
    const committed = index.committed(rowsOf(4)).then(() => {
      fourth = true;
    });
    await settle();
    assert.equal(fourth, false, 'a fourth block waits: three are the most held');
    db.letThrough();
    while (!fourth) {
      await settle();
      db.letThrough();
    }
    await committed;
    assert.ok(db.indexedHeight >= 1, `indexed up to ${db.indexedHeight} before the fourth commit returned`);
    assert.equal(index.pendingSeqOfId('acme', 't-1'), undefined, 'left memory once indexed');
  });

  it('counts a lower indexed height read after its own write as a rebuild, and one read before it as late', async () => {
    const db = new HeldDatabase();
    const index = new PostgresDerivedIndex(db.inTransaction, 64);
    await index.committed(rowsOf(1));
    const mark = index.mark();
    while (index.pendingSeqOfId('acme', 't-1') !== undefined) {
      db.letThrough();
      await settle();
    }
    index.learned(0, mark);
    assert.equal(index.covers(1), true, 'a read sent before the index write: late, not a rebuild');
    index.learned(0, index.mark());
    assert.equal(index.covers(1), false, 'read after it: the index was emptied, reads catch it up again');
  });
});
