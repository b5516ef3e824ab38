import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ListBook } from '../../../src/modules/compliance/book.js';
import { ListFormatError } from '../../../src/modules/compliance/screening/lists.js';
import { tempDir } from '../../helpers.js';

const OFAC = new URL('../../../../shared/data/sanctions/ofac', import.meta.url).pathname;
const OFAC_FILES = ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'];

/** Counts the event loop's turns until stopped: what a node's sequencer gets while the lists are read. */
function turnCounter(): { stop(): number } {
  let turns = 0;
  let counting = true;
  const count = () => {
    if (!counting) return;
    turns++;
    setImmediate(count);
  };
  setImmediate(count);
  return { stop: () => ((counting = false), turns) };
}

describe('the sanctions lists kept current while the module runs', () => {
  const dir = tempDir();
  const ofac = join(dir.path, 'ofac');
  const sdn = join(ofac, 'sdn.csv');
  /** Rewrites OFAC's main file and moves its modification time on, as a new publication does. */
  const publish = (content: string) => {
    writeFileSync(sdn, content);
    const later = new Date(Date.now() + 60_000);
    utimesSync(sdn, later, later);
  };

  before(() => {
    mkdirSync(ofac);
    for (const file of OFAC_FILES) copyFileSync(join(OFAC, file), join(ofac, file));
  });
  after(() => dir.remove());

  it('rereads a list that changed while the event loop turns, and swaps the screener in use whole', async () => {
    const book = new ListBook([ofac]);
    const [loaded] = book.load();
    assert.equal(loaded?.first, true);
    const [before] = book.versions();
    const hitsOn = (name: string) => book.screener.screen({ name, type: 'entity' }).map((hit) => hit.entryId);
    assert.ok(hitsOn('AEROCARIBBEAN AIRLINES').includes('36'));
    assert.deepEqual(await book.refresh(), [], 'nothing changed: nothing to reread');

    // OFAC delists its first entry (ent_num 36).
    const lines = readFileSync(sdn, 'latin1').split('\r\n');
    assert.ok(lines[0]!.startsWith('36,"AEROCARIBBEAN AIRLINES"'));
    publish(lines.slice(1).join('\r\n'));
    const inUse = book.screener;
    const turns = turnCounter();
    let updates: Awaited<ReturnType<ListBook['refresh']>>;
    let turned: number;
    try {
      const refreshing = book.refresh();
      assert.equal(book.screener, inUse, 'the screener in use stays until the update is whole');
      updates = await refreshing;
    } finally {
      turned = turns.stop();
    }
    // Read and indexed on this thread, the update would be done before the loop's next turn.
    assert.ok(turned >= 10, `the event loop turned ${turned} times while the update was read and indexed`);

    assert.equal(updates.length, 1);
    assert.equal(updates[0]!.first, false);
    assert.deepEqual(updates[0]!.diff.removed.map((entry) => entry.id), ['36']);
    assert.deepEqual([updates[0]!.diff.added.length, updates[0]!.diff.changed.length], [0, 0]);
    const [after] = book.versions();
    assert.notEqual(after?.version, before?.version);
    assert.equal(after?.entries, before!.entries - 1);
    assert.equal(hitsOn('AEROCARIBBEAN AIRLINES').includes('36'), false);
  });

  it('keeps the last good version of a list that no longer reads, and says why', async () => {
    const book = new ListBook([ofac]);
    book.load();
    const [good] = book.versions();
    const inUse = book.screener;
    publish('this is not the SDN file\r\n');
    await assert.rejects(book.refresh(), (error: Error) => error instanceof ListFormatError && /sdn\.csv/.test(error.message));
    assert.deepEqual(book.versions(), [good]);
    assert.equal(book.screener, inUse);
  });
});
