import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { CreditIntake } from '../../../src/modules/banking/deposits.js';
import { readIncoming, type BankReport } from '../../../src/modules/banking/iso20022/index.js';
import { BANKING_MIGRATIONS } from '../../../src/modules/banking/tables.js';
import { migrateModule, openModuleDatabase, type AnyDatabase } from '../../../src/modules/kit/database.js';
import { buildApp } from '../../../src/node/api/app.js';
import { LedgerError } from '../../../src/node/errors.js';
import { DepositumClient, type Submission } from '../../../src/sdk/index.js';
import { openTestLedger, signerOf, tempDir, type TestLedger } from '../../helpers.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

/** The camt.054.001.08 fixture with its first entry changed: another reference, amount, sender or currency. */
function notification(changes: { reference?: string; amount?: string; sender?: string; currency?: string; status?: string; transform?: (xml: string) => string } = {}): string {
  let xml = fixture('camt.054.001.08.xml');
  if (changes.reference !== undefined) xml = xml.replaceAll('FMB20261122000451', changes.reference).replace('NTRY-000451', `N-${changes.reference}`);
  if (changes.amount !== undefined) xml = xml.replaceAll('>250000.00<', `>${changes.amount}<`);
  if (changes.sender !== undefined) xml = xml.replace('ACME-DDA-4410', changes.sender);
  if (changes.currency !== undefined) xml = xml.replace('<Amt Ccy="USD">250000.00</Amt>\n        <CdtDbtInd>CRDT', `<Amt Ccy="${changes.currency}">250000.00</Amt>\n        <CdtDbtInd>CRDT`);
  if (changes.status !== undefined) xml = xml.replace('<Sts><Cd>BOOK</Cd></Sts>', `<Sts><Cd>${changes.status}</Cd></Sts>`);
  return changes.transform?.(xml) ?? xml;
}

describe('banking: deposit → mint', () => {
  let t: TestLedger;
  let app: FastifyInstance;
  let db: AnyDatabase;
  let intake: CreditIntake;
  let client: DepositumClient;
  let url: string;
  let dir: ReturnType<typeof tempDir>;
  /** While set, admission refuses any transaction that mints to this account (as a screening policy would). */
  let refuseMintsTo: string | null = null;
  /** What the intake said of the credits a stopped module left minting, by entry. */
  const resumed: [string, string][] = [];
  const read = async (xml: string) => (await readIncoming(xml)) as BankReport & { schema: null };
  const balance = (account: string) => t.ledger.state.accounts.get(account)!.availableMinor;

  before(async () => {
    dir = tempDir();
    t = await openTestLedger();
    app = await buildApp({ ledger: t.ledger });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
    t.ledger.addAdmissionPolicy({
      name: 'test-refusal',
      check: async (body) => {
        if (body.operations.some((op) => op.type === 'issue' && op.account === refuseMintsTo)) throw new LedgerError('sanctions_hit', `minting to ${refuseMintsTo} is refused here`, 'body.operations');
      },
    });
    db = openModuleDatabase({ sqlite: join(dir.path, 'banking.sqlite') });
    await migrateModule(db, 'banking', BANKING_MIGRATIONS);
    // First Meridian runs the module as itself: the minter of usd-fmb, here with 1,000,000.00 of allowance.
    client = new DepositumClient({ url, signer: signerOf(t.network, 'first-meridian') });
    await client.submit([{ type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: '1000000.00' }]);
    intake = new CreditIntake(db, client, { omnibusAccount: 'OMNIBUS-USD-001', asset: 'usd-fmb' }, () => Date.now(), (outcomes) => resumed.push(...[...outcomes].map(([entry, { outcome }]): [string, string] => [entry, outcome])));
    await intake.link('ACME-DDA-4410', 'acme-usd', 'first-meridian');
  });
  after(async () => {
    await db.destroy();
    await app.close();
    await t.close();
    dir.remove();
  });

  it('mints a booked credit from a linked account once, however often the notification arrives', async () => {
    const first = await intake.take(await read(notification()));
    assert.deepEqual(first.map((o) => o.outcome), ['minted', 'ignored'], 'the debit is a payout: reconciled, not minted');
    assert.equal(balance('acme-usd'), 25_000_000n);
    for (let i = 0; i < 3; i += 1) {
      const again = await intake.take(await read(notification()));
      assert.deepEqual(again[0], { entry: 'OMNIBUS-USD-001/FMB20261122000451', outcome: 'duplicate', status: 'minted' });
    }
    assert.equal(balance('acme-usd'), 25_000_000n);
    const issued = [...t.ledger.state.assets.values()].find((a) => a.id === 'usd-fmb')!.issuedMinor;
    assert.equal(issued, 25_000_000n);
  });

  it('mints once even when its record was lost after the mint (a crash between the two): the ledger answers the derived id', async () => {
    await intake.take(await read(notification({ reference: 'FMB-CRASH-1', amount: '10.00' })));
    await db.deleteFrom('banking_credits').where('entry_key', '=', 'OMNIBUS-USD-001/FMB-CRASH-1').execute();
    const again = await intake.take(await read(notification({ reference: 'FMB-CRASH-1', amount: '10.00' })));
    assert.equal(again[0]!.outcome, 'minted');
    assert.equal(balance('acme-usd'), 25_001_000n, 'minted once');
  });

  it('sets aside, with the reason, what it must not mint, and mints nothing for it', async () => {
    const cases: [Parameters<typeof notification>[0], string][] = [
      [{ reference: 'S-UNLINKED', sender: 'UNKNOWN-DDA-1' }, 'unlinked_account'],
      [{ reference: 'S-EUR', currency: 'EUR' }, 'wrong_currency'],
      [{ reference: 'S-PRECISE', amount: '10.005' }, 'amount_too_precise'],
      [{ reference: 'S-ALLOWANCE', amount: '999999.00' }, 'over_allowance'],
      [{ reference: 'S-REVERSAL', transform: (xml) => xml.replace('<CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>', '<CdtDbtInd>CRDT</CdtDbtInd>\n        <RvslInd>true</RvslInd>\n        <Sts>') }, 'reversal'],
      [{ transform: (xml) => xml.replace('<NtryRef>NTRY-000451</NtryRef>', '').replace(/<AcctSvcrRef>FMB20261122000451<\/AcctSvcrRef>/g, '') }, 'no_bank_reference'],
    ];
    const before = balance('acme-usd');
    for (const [changes, reason] of cases) {
      const [outcome] = await intake.take(await read(notification(changes)));
      assert.equal(outcome!.outcome, 'suspense', reason);
      assert.equal((outcome as { reason: string }).reason, reason);
    }
    assert.equal(balance('acme-usd'), before);
    const pending = await intake.take(await read(notification({ reference: 'S-PENDING', status: 'PDNG' })));
    assert.deepEqual(pending[0], { entry: 'FMB-C54-20261122-0001/0/0', outcome: 'ignored', why: 'status PDNG: minted once booked' });
    const listed = await intake.suspense();
    // Oldest first; several set aside within one millisecond come in key order, so the check sorts.
    assert.deepEqual(listed.map((row) => [row.entry_key, row.reason, row.bank_account]).sort(), [
      ['OMNIBUS-USD-001/S-UNLINKED', 'unlinked_account', 'UNKNOWN-DDA-1'],
      ['OMNIBUS-USD-001/S-EUR', 'wrong_currency', 'ACME-DDA-4410'],
      ['OMNIBUS-USD-001/S-PRECISE', 'amount_too_precise', 'ACME-DDA-4410'],
      ['OMNIBUS-USD-001/S-ALLOWANCE', 'over_allowance', 'ACME-DDA-4410'],
      ['OMNIBUS-USD-001/S-REVERSAL', 'reversal', 'ACME-DDA-4410'],
      ['OMNIBUS-USD-001/unreferenced/FMB-C54-20261122-0001/0/0', 'no_bank_reference', 'ACME-DDA-4410'],
    ].sort());
    assert.match(listed.find((row) => row.reason === 'over_allowance')!.detail!, /may still mint/);
  });

  it('mints the credits of several notifications in one transaction, each on its own: one over the allowance is set aside, the others minted', async () => {
    const before = balance('acme-usd');
    const messages = await Promise.all([...['W-1', 'W-2', 'W-3'].map((reference) => notification({ reference, amount: '5.00' })), notification({ reference: 'W-BIG', amount: '2000000.00' })].map(read));
    const outcomes = (await intake.takeAll(messages)).filter((o) => o.outcome !== 'ignored');
    const minted = outcomes.filter((o) => o.outcome === 'minted');
    assert.deepEqual(minted.map((o) => o.entry), ['OMNIBUS-USD-001/W-1', 'OMNIBUS-USD-001/W-2', 'OMNIBUS-USD-001/W-3']);
    const ids = new Set(minted.map((o) => o.transactionId));
    assert.equal(ids.size, 1, 'one transaction for the wave');
    const [id] = ids;
    assert.match(id!, /^bank-credits:[0-9a-f]{40}$/);
    assert.deepEqual(outcomes.find((o) => o.entry === 'OMNIBUS-USD-001/W-BIG'), { entry: 'OMNIBUS-USD-001/W-BIG', outcome: 'suspense', reason: 'over_allowance', detail: (outcomes.find((o) => o.entry === 'OMNIBUS-USD-001/W-BIG') as { detail: string }).detail });
    assert.equal(balance('acme-usd'), before + 1_500n);
    const record = await client.transactionById('first-meridian', id!);
    assert.equal(record.result.status, 'committed');
    assert.deepEqual((record.result as { rejected?: unknown }).rejected, [{ code: 'allowance_exceeded', operation: 3 }], 'the big one, last in key order, refused alone');
    const big = await db.selectFrom('banking_credits').selectAll().where('entry_key', '=', 'OMNIBUS-USD-001/W-BIG').executeTakeFirstOrThrow();
    assert.deepEqual([big.status, big.transaction_id], ['suspense', null], 'its id is spent: a retry mints under another');
  });

  it('reads a wave sent again against the operations the ledger recorded, by deposit reference, whatever credits are still minting', async () => {
    // As if stopped before recording: two of the wave's four credits still minting, in another order than the transaction's.
    const wave = await db.selectFrom('banking_credits').select('transaction_id').where('entry_key', '=', 'OMNIBUS-USD-001/W-2').executeTakeFirstOrThrow();
    await db.updateTable('banking_credits').set({ status: 'minting', transaction_id: wave.transaction_id, reason: null, detail: null }).where('entry_key', 'in', ['OMNIBUS-USD-001/W-2', 'OMNIBUS-USD-001/W-BIG']).execute();
    const before = balance('acme-usd');
    await intake.takeAll([]);
    const rows = await db.selectFrom('banking_credits').select(['entry_key', 'status', 'reason']).where('entry_key', 'in', ['OMNIBUS-USD-001/W-2', 'OMNIBUS-USD-001/W-BIG']).orderBy('entry_key').execute();
    assert.deepEqual(rows, [
      { entry_key: 'OMNIBUS-USD-001/W-2', status: 'minted', reason: null },
      { entry_key: 'OMNIBUS-USD-001/W-BIG', status: 'suspense', reason: 'over_allowance' },
    ], 'each credit its own mint\'s outcome, not its position\'s');
    assert.equal(balance('acme-usd'), before, 'nothing minted again');
  });

  it('finishes a wave a stopped module left recorded as minting, once, whether the ledger had it or not', async () => {
    // Stopped after the ledger committed and before the records said so.
    const first = await Promise.all(['C-1', 'C-2'].map((reference) => read(notification({ reference, amount: '7.00' }))));
    await intake.takeAll(first);
    const afterFirst = balance('acme-usd');
    await db.updateTable('banking_credits').set({ status: 'minting' }).where('entry_key', 'in', ['OMNIBUS-USD-001/C-1', 'OMNIBUS-USD-001/C-2']).execute();
    resumed.length = 0;
    const again = await intake.takeAll(first);
    // Committed before the crash: finished as minted (the ledger answers the same id with its first outcome), and said so.
    assert.deepEqual(resumed.sort(), [['OMNIBUS-USD-001/C-1', 'minted'], ['OMNIBUS-USD-001/C-2', 'minted']]);
    assert.deepEqual(again.filter((o) => o.outcome !== 'ignored').map((o) => [o.entry, o.outcome]), [['OMNIBUS-USD-001/C-1', 'duplicate'], ['OMNIBUS-USD-001/C-2', 'duplicate']]);
    assert.equal(balance('acme-usd'), afterFirst, 'not minted twice');
    // Stopped after the records and before the ledger heard of it (the request never left).
    class Unreachable extends DepositumClient {
      override submit(): Promise<Submission> {
        return Promise.reject(new Error('connect ECONNREFUSED'));
      }
    }
    const stopped = new CreditIntake(db, new Unreachable({ url, signer: signerOf(t.network, 'first-meridian') }), { omnibusAccount: 'OMNIBUS-USD-001', asset: 'usd-fmb' }, () => Date.now());
    const second = await Promise.all(['D-1', 'D-2'].map((reference) => read(notification({ reference, amount: '3.00' }))));
    await assert.rejects(stopped.takeAll(second), /ECONNREFUSED/);
    const recorded = await db.selectFrom('banking_credits').select(['status', 'transaction_id']).where('entry_key', 'in', ['OMNIBUS-USD-001/D-1', 'OMNIBUS-USD-001/D-2']).execute();
    assert.deepEqual(recorded.map((r) => r.status), ['minting', 'minting']);
    assert.equal(balance('acme-usd'), afterFirst);
    resumed.length = 0;
    const redelivered = await intake.takeAll([second[1]!]);
    assert.deepEqual(resumed.sort(), [['OMNIBUS-USD-001/D-1', 'minted'], ['OMNIBUS-USD-001/D-2', 'minted']], 'the credits the stopped module left are said minted by the one that finished them');
    assert.deepEqual(redelivered.filter((o) => o.outcome !== 'ignored').map((o) => [o.entry, o.outcome]), [['OMNIBUS-USD-001/D-2', 'duplicate']], 'finished before the redelivery was looked at');
    assert.equal(balance('acme-usd'), afterFirst + 600n, 'both credits of the wave minted, once');
    const done = await db.selectFrom('banking_credits').select(['status', 'transaction_id']).where('entry_key', 'in', ['OMNIBUS-USD-001/D-1', 'OMNIBUS-USD-001/D-2']).execute();
    assert.deepEqual(done, recorded.map((r) => ({ status: 'minted', transaction_id: r.transaction_id })), 'under the id recorded before the crash');
  });

  it('splits a wave the node refuses at admission: each credit under its own id, the refused one set aside, minted later on retry', async () => {
    await intake.link('GLOBEX-DDA-1', 'globex-usd', 'first-meridian');
    const before = [balance('acme-usd'), balance('globex-usd')];
    refuseMintsTo = 'globex-usd';
    try {
      const messages = await Promise.all([notification({ reference: 'P-ACME', amount: '2.00' }), notification({ reference: 'P-GLOBEX', amount: '4.00', sender: 'GLOBEX-DDA-1' })].map(read));
      const outcomes = (await intake.takeAll(messages)).filter((o) => o.outcome !== 'ignored');
      const acme = outcomes.find((o) => o.entry === 'OMNIBUS-USD-001/P-ACME');
      assert.equal(acme?.outcome, 'minted');
      assert.match((acme as { transactionId: string }).transactionId, /^bank-credit:[0-9a-f]{40}$/, 'its own id');
      const globex = outcomes.find((o) => o.entry === 'OMNIBUS-USD-001/P-GLOBEX') as { outcome: string; reason: string; detail: string };
      assert.deepEqual([globex.outcome, globex.reason], ['suspense', 'refused']);
      assert.match(globex.detail, /^sanctions_hit: minting to globex-usd is refused here/);
      assert.deepEqual([balance('acme-usd'), balance('globex-usd')], [before[0]! + 200n, before[1]!]);
    } finally {
      refuseMintsTo = null;
    }
    const retried = await intake.retry('OMNIBUS-USD-001/P-GLOBEX', 'desk-request-1');
    assert.equal(retried.outcome, 'minted');
    assert.equal(balance('globex-usd'), before[1]! + 400n);
  });

  it('refuses to mint from a statement, and to link a bank account to another token', async () => {
    await assert.rejects(intake.take(await read(fixture('camt.053.001.08.xml'))), /a camt\.053 does not mint/);
    await assert.rejects(intake.link('GLOBEX-DDA-1', 'globex-sgd', 'first-meridian'), /cannot mint usd-fmb to globex-sgd: no signer is a minter of sgd-scb/);
  });
});
