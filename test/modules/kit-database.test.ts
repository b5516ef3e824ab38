import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { openModuleDatabase, type AnyDatabase } from '../../src/modules/kit/database.js';
import { TURN_AFTER_MS } from '../../src/modules/kit/turns.js';
import { tempDir } from '../helpers.js';

/** A flag set by the event loop's next turn: what a timer, a socket or the node's sequencer waits for. */
function nextTurn(): { readonly turned: boolean } {
  const flag = { turned: false };
  setImmediate(() => { flag.turned = true; });
  return flag;
}

describe('a module\'s SQLite database lets the node\'s event loop turn', () => {
  const dir = tempDir();
  let db: AnyDatabase;

  before(async () => {
    db = openModuleDatabase({ sqlite: join(dir.path, 'module.sqlite') });
    await db.schema.createTable('kit_probe').addColumn('n', 'integer', (column) => column.primaryKey()).execute();
    await db.insertInto('kit_probe').values({ n: 1 }).execute();
  });
  after(async () => {
    await db?.destroy();
    dir.remove();
  });

  it('between the queries of a long chain of them, which SQLite alone answers without one turn', async () => {
    const turn = nextTurn();
    let queries = 0;
    // Without the turns, all 100,000 would run before the flag could be set.
    while (!turn.turned && queries < 100_000) {
      const rows = await db.selectFrom('kit_probe').select('n').execute();
      assert.deepEqual(rows, [{ n: 1 }]);
      queries++;
    }
    assert.equal(turn.turned, true, `the event loop turned within ${queries} queries`);
    assert.ok(queries < 100_000);
  });

  it('never inside a transaction, however long it holds the thread, and as soon as it ends', async () => {
    let turn: { readonly turned: boolean } | undefined;
    await db.transaction().execute(async (trx) => {
      turn = nextTurn();
      const start = performance.now();
      let n = 1;
      // Held well past the point where a chain of queries outside a transaction would turn.
      while (performance.now() - start < 5 * TURN_AFTER_MS) {
        await trx.insertInto('kit_probe').values({ n: ++n }).execute();
        await trx.selectFrom('kit_probe').select('n').where('n', '=', n).executeTakeFirstOrThrow();
      }
      assert.equal(turn.turned, false, 'no turn while the transaction is open');
      await trx.deleteFrom('kit_probe').where('n', '>', 1).execute();
    });
    assert.equal(turn?.turned, true, 'the turn is taken once the connection is given back');
    const rows = await db.selectFrom('kit_probe').select('n').execute();
    assert.deepEqual(rows, [{ n: 1 }], 'the transaction\'s work is whole');
  });
});
