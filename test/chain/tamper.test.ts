import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { verifyDataFile } from '../../src/cli/verify.js';
import { BlockRecordView, encodeBlockRecord, type TransactionRecord } from '../../src/store/block-record.js';
import { openTestLedger, tempDir } from '../helpers.js';

/** Flips the lowest bit of one character: the smallest change a byte can suffer. */
function flip(text: string, index: number): string {
  return text.slice(0, index) + String.fromCharCode(text.charCodeAt(index) ^ 1) + text.slice(index + 1);
}

const TARGET_HEIGHT = 5;

describe('verifier locates tampering', () => {
  const dir = tempDir();
  const file = join(dir.path, 'ledger.sqlite');
  let db: Database.Database;

  before(async () => {
    const t = await openTestLedger({ dir: dir.path });
    await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '500.00', depositReference: 'D1' }]);
    await t.submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '120.50' }], { reference: 'E2E-1', memo: 'invoice 7' });
    await t.submit('acme', [{ type: 'hold', hold: 'h1', from: 'acme-usd', to: 'globex-usd', amount: '10.00', expiresAtMs: Date.now() + 60_000 }]);
    await t.submit('acme', [{ type: 'post', hold: 'h1', amount: '4.00' }]);
    await t.ledger.close();
    db = new Database(file);
  });
  after(() => {
    db.close();
    dir.remove();
  });

  /** Tampers one column of one row, verifies, restores, and returns what the verifier said. */
  async function tampered(table: string, column: string, where: string, change: (value: string) => string) {
    // Restored by rowid, since the change may alter the very column the WHERE names (tables without a rowid are never changed in their key).
    const withoutRowid = table === 'state';
    const row = db.prepare(`SELECT ${column} AS value${withoutRowid ? '' : ', rowid AS rid'} FROM ${table} WHERE ${where}`).get() as { value: string | number; rid?: number };
    const original = row.value;
    const changed = change(String(original));
    // Changing the integer key moves the rowid with it: restore through the new value.
    const key = row.rid === undefined ? where : column === 'seq' ? `seq = ${changed}` : `rowid = ${row.rid}`;
    try {
      db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${row.rid === undefined ? where : `rowid = ${row.rid}`}`).run(changed);
    } catch {
      return null; // the database's own constraints refuse this change (e.g. a now-duplicate id)
    }
    try {
      return await verifyDataFile(file);
    } finally {
      db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key}`).run(original);
    }
  }

  const recordOf = (height: number): Buffer => db.prepare<[number], Buffer>('SELECT record FROM blocks WHERE height = ?').pluck().get(height)!;

  /** Replaces a block's record in the log, verifies, restores, and returns what the verifier said. */
  async function tamperedRecord(height: number, change: (record: Buffer) => Buffer) {
    const original = recordOf(height);
    db.prepare('UPDATE blocks SET record = ? WHERE height = ?').run(change(Buffer.from(original)), height);
    try {
      return await verifyDataFile(file);
    } finally {
      db.prepare('UPDATE blocks SET record = ? WHERE height = ?').run(original, height);
    }
  }

  /** Changes one text field of one transaction in a block's record. */
  const withField = (height: number, position: number, field: keyof TransactionRecord, change: (value: string) => string) => (bytes: Buffer): Buffer => {
    const record = new BlockRecordView(height, bytes).decode();
    const transactions = record.transactions.map((tx, at) => (at === position ? { ...tx, [field]: change(tx[field]) } : tx));
    return encodeBlockRecord({ ...record, transactions });
  };

  /** Whether flipping this byte leaves a record that decodes and differs only in history entries. */
  function onlyEntriesDiffer(record: Buffer, index: number): boolean {
    const flipped = Buffer.from(record);
    flipped[index] = flipped[index]! ^ 1;
    try {
      const before = new BlockRecordView(TARGET_HEIGHT, record).decode();
      const after = new BlockRecordView(TARGET_HEIGHT, flipped).decode();
      const withoutEntries = (r: typeof before) => ({ ...r, entries: '', transactions: r.transactions.map((tx) => ({ ...tx, entries: '' })) });
      return JSON.stringify(withoutEntries(before)) === JSON.stringify(withoutEntries(after));
    } catch {
      return false;
    }
  }

  it('verifies the untouched chain', async () => {
    const outcome = await verifyDataFile(file);
    assert.equal(outcome.report.failure, null);
    assert.equal(outcome.stateProblem, null);
    assert.equal(outcome.report.blocks, 9);
  });

  for (const column of ['header', 'hash', 'signatures']) {
    it(`names the block for any flipped byte of its ${column}`, async () => {
      const { value } = db.prepare(`SELECT ${column} AS value FROM blocks WHERE height = ?`).get(TARGET_HEIGHT) as { value: string };
      for (let index = 0; index < value.length; index += 1) {
        const outcome = await tampered('blocks', column, `height = ${TARGET_HEIGHT}`, (v) => flip(v, index));
        if (outcome === null) continue;
        assert.equal(outcome.report.failure?.height, TARGET_HEIGHT, `byte ${index} of ${column}: ${JSON.stringify(outcome.report.failure)}`);
      }
    });
  }

  it('names the block, and the transaction where the byte is one of its, for any flipped byte of its record', async () => {
    const record = recordOf(TARGET_HEIGHT);
    const view = new BlockRecordView(TARGET_HEIGHT, record);
    assert.equal(view.count, 1);
    const firstTransactionAt = record.readUInt32LE(5);
    for (let index = 0; index < record.length; index += 1) {
      const outcome = await tamperedRecord(TARGET_HEIGHT, (bytes) => {
        bytes[index] = bytes[index]! ^ 1;
        return bytes;
      });
      const failure = outcome.report.failure;
      // History entries are not under the chain's roots: a damaged one is found against replay instead.
      if (failure === null && onlyEntriesDiffer(record, index)) {
        assert.match(outcome.stateProblem ?? '', /history/, `byte ${index} of the record`);
        continue;
      }
      assert.equal(failure?.height, TARGET_HEIGHT, `byte ${index} of the record: ${JSON.stringify(failure)}`);
      if (index >= firstTransactionAt && !/root|cannot be processed|does not end where/.test(failure.reason)) assert.equal(failure.transaction, 0, `byte ${index} of the record: ${failure.reason}`);
    }
  });

  it('notices a changed balance in an account\'s history, and a forged line in it', async () => {
    const lastOfGlobex = [9, 8, 7, 6, 5, 4, 3, 2, 1].find((height) => new BlockRecordView(height, recordOf(height)).decode().transactions.some((tx) => tx.entries.includes('"globex-usd"')))!;
    const edit = (change: (entry: [number, string, string, string]) => [number, string, string, string][]) => (text: string) =>
      JSON.stringify((JSON.parse(text) as [number, string, string, string][]).flatMap((entry) => (entry[1] === 'globex-usd' ? change(entry) : [entry])));
    const changed = await tamperedRecord(lastOfGlobex, withField(lastOfGlobex, 0, 'entries', edit(([n, account, available, held]) => [[n, account, String(BigInt(available) + 100n), held]])));
    assert.match(changed.stateProblem ?? '', /history of globex-usd/);
    const forged = await tamperedRecord(lastOfGlobex, withField(lastOfGlobex, 0, 'entries', edit((entry) => [entry, [entry[0], 'initech-usd', entry[2], entry[3]]])));
    assert.equal(forged.report.failure, null);
    assert.match(forged.stateProblem ?? '', /history of initech-usd/);
  });

  it('notices an index field (sender, id) that differs from the envelope, and a block\'s transactions moved to another block', async () => {
    for (const field of ['sender', 'id'] as const) {
      const outcome = await tamperedRecord(TARGET_HEIGHT, withField(TARGET_HEIGHT, 0, field, (value) => `${value}x`));
      assert.equal(outcome.report.failure?.height, TARGET_HEIGHT);
      assert.equal(outcome.report.failure?.transaction, 0);
    }
    const moved = await tamperedRecord(TARGET_HEIGHT, () => recordOf(TARGET_HEIGHT + 1));
    assert.equal(moved.report.failure?.height, TARGET_HEIGHT);
  });

  it('notices a changed block time column (dates are looked up through it)', async () => {
    const outcome = await tampered('blocks', 'timestamp_ms', `height = ${TARGET_HEIGHT}`, (v) => String(Number(v) - 5000));
    assert.equal(outcome?.report.failure?.height, TARGET_HEIGHT);
  });

  it('notices a materialized balance that replay does not produce', async () => {
    const outcome = await tampered('state', 'body', "kind = 'accounts' AND id = 'globex-usd'", (v) => v.replace(/"availableMinor":"([0-9]+)"/, '"availableMinor":"9$1"'));
    assert.equal(outcome?.report.failure, null);
    assert.match(outcome?.stateProblem ?? '', /accounts\/globex-usd/);
  });
});
