import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DirectoryInbox } from '../../../src/modules/banking/inbox.js';
import { tempDir } from '../../helpers.js';

describe('the file drop', () => {
  const dir = tempDir();
  after(() => dir.remove());

  it('never hands out a file twice while it is taken: the next round is read while one is recorded', async () => {
    const inbox = new DirectoryInbox(dir.path);
    for (const name of ['a.xml', 'b.xml', 'c.xml', 'd.xml', '.e.xml', 'f.xml.part']) writeFileSync(join(inbox.incoming, name), '<x/>');
    const first = await inbox.take(2);
    const second = await inbox.take(10);
    assert.deepEqual([first.map((m) => m.name), second.map((m) => m.name)], [['a.xml', 'b.xml'], ['c.xml', 'd.xml']], 'partial uploads left alone');
    assert.equal(second[0]!.body.toString('utf8'), '<x/>');
    assert.deepEqual(await inbox.take(10), []);
    // Released: taken again. Done or set aside: gone from in/.
    await inbox.release(first[1]!);
    await inbox.done(first[0]!);
    await inbox.quarantine(second[0]!, 'fails its XSD');
    assert.deepEqual((await inbox.take(10)).map((m) => m.name), ['b.xml']);
    assert.ok(existsSync(join(inbox.processed, 'a.xml')) && existsSync(join(inbox.failed, 'c.xml')) && existsSync(join(inbox.failed, 'c.xml.reason')));
  });
});
