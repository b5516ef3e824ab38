import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { openModuleDatabase, type AnyDatabase } from '../../src/modules/kit/database.js';
import { STATEMENTS_KEPT } from '../../src/modules/kit/kept-statements.js';
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

describe('a module\'s SQLite database keeps its prepared statements', () => {
  const dir = tempDir();
  let db: AnyDatabase;
  /** SQL text → how often better-sqlite3 compiled it. */
  const compiled = new Map<string, number>();
  const prepare = Database.prototype.prepare;

  before(async () => {
    Database.prototype.prepare = function counted(this: Database.Database, source: string) {
      compiled.set(source, (compiled.get(source) ?? 0) + 1);
      return prepare.call(this, source);
    } as typeof prepare;
    db = openModuleDatabase({ sqlite: join(dir.path, 'module.sqlite') });
    await db.schema.createTable('kit_kept').addColumn('n', 'integer', (column) => column.primaryKey()).addColumn('label', 'text').execute();
  });
  after(async () => {
    Database.prototype.prepare = prepare;
    await db?.destroy();
    dir.remove();
  });
  const timesCompiled = (fragment: string) => [...compiled].filter(([source]) => source.includes(fragment)).reduce((sum, [, count]) => sum + count, 0);

  it('compiles a query once however often it runs, each run with its own values, and follows a schema change', async () => {
    for (let n = 1; n <= 50; n += 1) await db.insertInto('kit_kept').values({ n, label: `row ${n}` }).execute();
    for (let n = 1; n <= 50; n += 1) assert.deepEqual(await db.selectFrom('kit_kept').selectAll().where('n', '=', n).execute(), [{ n, label: `row ${n}` }]);
    assert.equal(timesCompiled('insert into "kit_kept"'), 1);
    assert.equal(timesCompiled('select * from "kit_kept" where "n" = ?'), 1);

    await db.schema.alterTable('kit_kept').addColumn('note', 'text', (column) => column.defaultTo('kept')).execute();
    assert.deepEqual(await db.selectFrom('kit_kept').selectAll().where('n', '=', 7).execute(), [{ n: 7, label: 'row 7', note: 'kept' }], 'the kept statement sees the new column');
    assert.equal(timesCompiled('select * from "kit_kept" where "n" = ?'), 1);
  });

  it('keeps the most recently used ones only: past STATEMENTS_KEPT, the oldest is compiled again', async () => {
    const first = () => db.selectFrom('kit_kept').select('label').where('n', '=', 1).execute();
    await first();
    const before = timesCompiled('select "label" from "kit_kept" where "n" = ?');
    for (let width = 1; width <= STATEMENTS_KEPT; width += 1) await db.selectFrom('kit_kept').select('n').where('n', 'in', Array.from({ length: width }, (_, i) => i)).execute();
    assert.deepEqual(await first(), [{ label: 'row 1' }]);
    assert.equal(timesCompiled('select "label" from "kit_kept" where "n" = ?'), before + 1);
  });
});
