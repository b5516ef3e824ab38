import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { verifyDataFile } from '../../src/cli/verify.js';
import { openTestLedger, tempDir } from '../helpers.js';

/** Flips the lowest bit of one character: the smallest change a byte can suffer. */
function flip(text: string, index: number): string {
  return text.slice(0, index) + String.fromCharCode(text.charCodeAt(index) ^ 1) + text.slice(index + 1);
}

const TARGET_HEIGHT = 5;
/** Transaction rows are keyed by height · 2^20 + position. */
const IN_TARGET_BLOCK = `seq >= ${TARGET_HEIGHT * 2 ** 20} AND seq < ${(TARGET_HEIGHT + 1) * 2 ** 20}`;

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

  it('verifies the untouched chain', async () => {
    const outcome = await verifyDataFile(file);
    assert.equal(outcome.report.failure, null);
    assert.equal(outcome.stateProblem, null);
    assert.equal(outcome.report.blocks, 9);
  });

  for (const column of ['header', 'hash', 'signatures', 'events']) {
    it(`names the block for any flipped byte of its ${column}`, async () => {
      const { value } = db.prepare(`SELECT ${column} AS value FROM blocks WHERE height = ?`).get(TARGET_HEIGHT) as { value: string };
      for (let index = 0; index < value.length; index += 1) {
        const outcome = await tampered('blocks', column, `height = ${TARGET_HEIGHT}`, (v) => flip(v, index));
        if (outcome === null) continue;
        assert.equal(outcome.report.failure?.height, TARGET_HEIGHT, `byte ${index} of ${column}: ${JSON.stringify(outcome.report.failure)}`);
      }
    });
  }

  for (const column of ['envelope', 'result', 'hash', 'sender', 'client_id', 'signers', 'events']) {
    it(`names the block and transaction for any flipped byte of its ${column}`, async () => {
      const { value } = db.prepare(`SELECT ${column} AS value FROM transactions WHERE ${IN_TARGET_BLOCK}`).get() as { value: string };
      for (let index = 0; index < value.length; index += 1) {
        const outcome = await tampered('transactions', column, IN_TARGET_BLOCK, (v) => flip(v, index));
        if (outcome === null) continue;
        const failure = outcome.report.failure;
        assert.equal(failure?.height, TARGET_HEIGHT, `byte ${index} of ${column}: ${JSON.stringify(failure)}`);
        if (!/root|cannot be processed/.test(failure.reason)) assert.equal(failure.transaction, 0, `byte ${index} of ${column}: ${failure.reason}`);
      }
    });
  }

  it('notices a changed balance in an account\'s history, and a forged line in it', async () => {
    const lastOfGlobex = "seq = (SELECT max(seq) FROM transactions WHERE entries LIKE '%\"globex-usd\"%')";
    const edit = (change: (entry: [number, string, string, string]) => [number, string, string, string][]) => (text: string) =>
      JSON.stringify((JSON.parse(text) as [number, string, string, string][]).flatMap((entry) => (entry[1] === 'globex-usd' ? change(entry) : [entry])));
    const changed = await tampered('transactions', 'entries', lastOfGlobex, edit(([n, account, available, held]) => [[n, account, String(BigInt(available) + 100n), held]]));
    assert.match(changed?.stateProblem ?? '', /history of globex-usd/);
    const forged = await tampered('transactions', 'entries', lastOfGlobex, edit((entry) => [entry, [entry[0], 'initech-usd', entry[2], entry[3]]]));
    assert.equal(forged?.report.failure, null);
    assert.match(forged?.stateProblem ?? '', /history of initech-usd/);
  });

  it('notices a changed block time column (dates are looked up through it)', async () => {
    const outcome = await tampered('blocks', 'timestamp_ms', `height = ${TARGET_HEIGHT}`, (v) => String(Number(v) - 5000));
    assert.equal(outcome?.report.failure?.height, TARGET_HEIGHT);
  });

  it('notices a changed validity column or a transaction moved to another block', async () => {
    const moved = await tampered('transactions', 'valid_until_ms', IN_TARGET_BLOCK, (v) => String(Number(v) + 1));
    assert.equal(moved?.report.failure?.height, TARGET_HEIGHT);
    const renumbered = await tampered('transactions', 'seq', IN_TARGET_BLOCK, () => String((TARGET_HEIGHT + 100) * 2 ** 20));
    assert.equal(renumbered?.report.failure?.height, TARGET_HEIGHT);
  });

  it('notices a materialized balance that replay does not produce', async () => {
    const outcome = await tampered('state', 'body', "kind = 'accounts' AND id = 'globex-usd'", (v) => v.replace(/"availableMinor":"([0-9]+)"/, '"availableMinor":"9$1"'));
    assert.equal(outcome?.report.failure, null);
    assert.match(outcome?.stateProblem ?? '', /accounts\/globex-usd/);
  });
});
