import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers.js';
import { cli } from './run.js';

const FIXTURES = new URL('../modules/banking/fixtures/', import.meta.url).pathname;
const XSD_DIR = new URL('../../../shared/data/iso20022/xsd', import.meta.url).pathname;

describe('CLI: banking parse', () => {
  it('prints a bank message as normalized JSON, and refuses one in an unknown version with exit 3 and why', async () => {
    const dir = tempDir();
    try {
      const parsed = await cli(dir.path, '--json', 'banking', 'parse', join(FIXTURES, 'camt.054.001.08.xml'), '--xsd-dir', XSD_DIR);
      assert.equal(parsed.code, 0, parsed.stderr);
      const message = JSON.parse(parsed.stdout) as { messageType: string; version: string; schema: { valid: boolean }; reports: { entries: { amount: string; creditDebit: string }[] }[] };
      assert.deepEqual([message.messageType, message.version, message.schema.valid], ['camt.054', '001.08', true]);
      assert.deepEqual(message.reports[0]!.entries.map((e) => [e.creditDebit, e.amount]), [['credit', '250000.00'], ['debit', '1200.50']]);

      const human = await cli(dir.path, 'banking', 'parse', join(FIXTURES, 'camt.053.001.02.xml'));
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, /camt\.053\.001\.02 STMT20261122SCB[\s\S]*not validated[\s\S]*CLBD -75\.3 USD/);

      const unknown = join(dir.path, 'next.xml');
      writeFileSync(unknown, '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.13"><BkToCstmrStmt/></Document>');
      const refused = await cli(dir.path, '--json', 'banking', 'parse', unknown);
      assert.equal(refused.code, 3);
      assert.deepEqual(JSON.parse(refused.stdout).error.code, 'message_refused');
      assert.match(JSON.parse(refused.stdout).error.message, /camt\.053\.001\.13 is not a supported version/);
      assert.equal((await cli(dir.path, 'banking', 'parse', join(dir.path, 'missing.xml'))).code, 2);
    } finally {
      dir.remove();
    }
  });
});
