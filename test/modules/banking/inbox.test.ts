import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DirectoryInbox } from '../../../src/modules/banking/inbox.js';
import { MessageReader } from '../../../src/modules/banking/iso20022/reader.js';
import { readIncoming, SchemaDirectory } from '../../../src/modules/banking/iso20022/index.js';
import { tempDir } from '../../helpers.js';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

describe('the file drop', () => {
  const temp = tempDir();
  after(() => temp.remove());

  it("takes the bank's files oldest name first, each whole and in memory the reader's thread reads without a copy; partial uploads wait", async () => {
    const inbox = new DirectoryInbox(join(temp.path, 'link'));
    const statement = fixture('camt.053.001.02.xml');
    writeFileSync(join(inbox.incoming, '20261207-002.xml'), statement);
    writeFileSync(join(inbox.incoming, '20261207-001.xml'), '');
    writeFileSync(join(inbox.incoming, '.20261207-003.xml'), 'uploading');
    writeFileSync(join(inbox.incoming, '20261207-004.xml.part'), 'uploading');

    const taken = await inbox.take(10);
    assert.deepEqual(taken.map((message) => message.name), ['20261207-001.xml', '20261207-002.xml']);
    assert.equal(taken[0]!.body.length, 0);
    assert.ok(taken[1]!.body.equals(statement), 'the bytes of the file, all of them');
    for (const { body } of taken) assert.ok(body.buffer instanceof SharedArrayBuffer, 'posted to the reader shared, not copied');
  });

  it('a file taken from shared memory reads as the same file does from a plain buffer', async () => {
    assert.ok(existsSync(XSD_DIR), `the ISO 20022 XSDs are expected in ${XSD_DIR}`);
    const inbox = new DirectoryInbox(join(temp.path, 'read'));
    const notification = fixture('camt.054.001.08.xml');
    writeFileSync(join(inbox.incoming, 'credit.xml'), notification);
    const [taken] = await inbox.take(1);
    const reader = new MessageReader(XSD_DIR);
    try {
      assert.deepEqual(await reader.read([taken!.body]), [{ message: await readIncoming(notification, new SchemaDirectory(XSD_DIR)) }]);
    } finally {
      await reader.close();
    }
  });
});
