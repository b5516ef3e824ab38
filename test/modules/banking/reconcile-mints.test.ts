import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import { sha256Hex } from '../../../src/chain/index.js';
import { bankingModule } from '../../../src/modules/banking/index.js';
import { bankingMetrics } from '../../../src/modules/banking/metrics.js';
import { readIncoming } from '../../../src/modules/banking/iso20022/index.js';
import { Reconciler } from '../../../src/modules/banking/reconcile.js';
import type { BankingSettings } from '../../../src/modules/banking/settings.js';
import { buildCamt053, type SimEntry } from '../../../src/modules/banking/sim/messages.js';
import type { CreditRow, StatementRow, SupplyRow } from '../../../src/modules/banking/tables.js';
import { prepareModule, type PreparedModule } from '../../../src/modules/kit/host.js';
import { paths } from '../../../src/node/data-dir.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumClient } from '../../../src/sdk/index.js';
import { tempDir } from '../../helpers.js';
import { freshSchema, postgresSkip } from '../../postgres.js';

const OMNIBUS = { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' };
const BATCH = 'bank-credits:0123456789abcdef0123456789abcdef01234567';
const skipPostgres = await postgresSkip();

/**
 * The module mints many credits in one transaction: reconciliation must still set each
 * bank entry against its own mint (by the deposit reference the mint carries), not
 * against the transaction, so a mint in a wave that no credit backs is named.
 */
for (const store of ['sqlite', 'postgres'] as const) describe(`reconciliation of credits minted together (the module's tables in ${store === 'sqlite' ? 'the ledger\'s SQLite file' : 'PostgreSQL'})`, { skip: store === 'postgres' && skipPostgres }, () => {
  const dir = tempDir();
  let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  const settings: BankingSettings = { omnibusAccount: OMNIBUS.id, asset: 'usd-fmb', staff: ['first-meridian'] };
  let node: RunningNode;
  let prepared: PreparedModule;
  const today = new Date().toISOString().slice(0, 10);
  const cutoff = Date.now();

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
    if (store === 'postgres') schema = await freshSchema('banking_reconcile');
    prepared = await prepareModule(bankingModule(settings), schema === undefined ? { sqlite: paths(dir.path).ledger } : { postgres: schema.url }, pino({ level: 'silent' }));
  });
  after(async () => {
    await prepared?.close();
    await node?.close();
    await schema?.drop();
    dir.remove();
  });

  it('matches each credit of a wave to its own mint, names the mint of the wave no credit backs, and still matches a mint logged without its reference', async () => {
    const { db } = prepared.services;
    const credit = (reference: string, amount: string, transaction: string): CreditRow => ({
      entry_key: `${OMNIBUS.id}/${reference}`, message_id: `C54-${reference}`, omnibus_account: OMNIBUS.id, bank_account: 'ACME-DDA-4410', sender_name: 'Acme Logistics Inc.',
      amount, currency: 'USD', end_to_end_id: `E2E-${reference}`, booking_date: today, status: 'minted', reason: null, detail: null, token_account: 'acme-usd',
      transaction_id: transaction, received_at_ms: cutoff - 5_000,
    });
    const mint = (n: number, amount: string, transaction: string, reference: string | null): SupplyRow => ({
      position: `${1_000_000 + n}:0:0`, time_ms: cutoff - 5_000, kind: 'issued', amount, transaction_id: transaction, deposit_reference: reference,
    });
    // A wave of three mints; the module's record of the third is gone (a database restored from an older copy, say).
    await db.insertInto('banking_credits').values([credit('R-1', '1.00', BATCH), credit('R-2', '2.00', BATCH), credit('R-OLD', '8.00', 'bank-credit:old')]).execute();
    await db.insertInto('banking_supply').values([mint(1, '1.00', BATCH, 'R-1'), mint(2, '2.00', BATCH, 'R-2'), mint(3, '4.00', BATCH, 'R-3'), mint(4, '8.00', 'bank-credit:old', null)]).execute();
    const entries: SimEntry[] = [['R-1', '1.00'], ['R-2', '2.00'], ['R-3', '4.00'], ['R-OLD', '8.00']].map(([reference, amount]) => ({
      reference: reference!, amount: amount!, side: 'credit', bookingDate: today, endToEndId: `E2E-${reference!}`, counterparty: { name: 'Acme Logistics Inc.', account: 'ACME-DDA-4410' },
    }));
    const xml = buildCamt053('STMT-WAVE', { id: 'STMT-WAVE', sequence: 1, from: new Date(cutoff - 86_400_000).toISOString(), to: new Date(cutoff).toISOString() }, OMNIBUS,
      [{ type: 'OPBD', amount: '0.00', date: today }, { type: 'CLBD', amount: '15.00', date: today }], entries);
    const message = await readIncoming(xml);
    if (!('reports' in message)) throw new Error('not a statement');
    const reconciler = new Reconciler(db, new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('banking') }), settings, Date.now);
    const [outcome] = await reconciler.take(message, xml);
    assert.equal(outcome?.reconciled, false);
    const breaks = await db.selectFrom('banking_breaks').select(['kind', 'subject', 'amount', 'detail']).orderBy('kind').execute() as { kind: string; subject: string; amount: string; detail: string }[];
    assert.deepEqual(breaks.map((b) => [b.kind, b.subject, b.amount]), [
      ['balance_difference', 'STMT-WAVE/closing', '-4.00'],
      ['unmatched_bank_entry', `${OMNIBUS.id}/R-3`, '4.00'],
      ['unmatched_ledger_entry', BATCH, '4.00'],
    ], 'R-1, R-2 and the old single mint settle; only the unbacked mint of the wave, and the credit with no record, are named');
    assert.match(breaks.find((b) => b.kind === 'unmatched_ledger_entry')!.detail, /deposit reference R-3\)$/);
  });

  it('takes a statement the bank split over pages, in any order: reconciled once the last page and all before it are in, as one statement', async () => {
    const { db } = prepared.services;
    const day2 = cutoff + 1_000;
    const references = ['PG-1', 'PG-2', 'PG-3', 'PG-4', 'PG-5'];
    await db.insertInto('banking_credits').values(references.map((reference, i) => ({
      entry_key: `${OMNIBUS.id}/${reference}`, message_id: `C54-${reference}`, omnibus_account: OMNIBUS.id, bank_account: 'ACME-DDA-4410', sender_name: 'Acme Logistics Inc.',
      amount: `${i + 1}.00`, currency: 'USD', end_to_end_id: `E2E-${reference}`, booking_date: today, status: 'minted', reason: null, detail: null, token_account: 'acme-usd',
      transaction_id: `bank-credit:${reference}`, received_at_ms: day2 - 500,
    }))).execute();
    await db.insertInto('banking_supply').values(references.map((reference, i) => ({ position: `${2_000_000 + i}:0:0`, time_ms: day2 - 500, kind: 'issued', amount: `${i + 1}.00`, transaction_id: `bank-credit:${reference}`, deposit_reference: reference }))).execute();
    const entry = (reference: string, i: number): SimEntry => ({ reference, amount: `${i + 1}.00`, side: 'credit', bookingDate: today, endToEndId: `E2E-${reference}`, counterparty: { name: 'Acme Logistics Inc.', account: 'ACME-DDA-4410' } });
    // The previous day closed at 15.00 (the wave above); this one adds 1 + 2 + 3 + 4 + 5.
    const pages = [[0, 2], [2, 4], [4, 5]].map(([from, to], p) => buildCamt053(`STMT-PAGED-${p + 1}`, { id: 'STMT-PAGED', sequence: 2, from: new Date(cutoff).toISOString(), to: new Date(day2).toISOString(), page: { number: p + 1, last: p === 2 } }, OMNIBUS,
      p === 0 ? [{ type: 'OPBD', amount: '15.00', date: today }, { type: 'ITBD', amount: '18.00', date: today }] : p === 1 ? [{ type: 'ITBD', amount: '25.00', date: today }] : [{ type: 'CLBD', amount: '30.00', date: today }],
      references.slice(from, to).map((reference, i) => entry(reference, from! + i))));
    const reconciler = new Reconciler(db, new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('banking') }), settings, Date.now);
    const take = async (xml: string) => {
      const message = await readIncoming(xml);
      if (!('reports' in message)) throw new Error('not a statement');
      return reconciler.take(message, xml);
    };
    const statement = () => db.selectFrom('banking_statements').selectAll().where('statement_id', '=', 'STMT-PAGED').executeTakeFirst() as Promise<StatementRow | undefined>;
    assert.deepEqual(await take(pages[2]!), [], 'the last page first: kept, nothing reconciled');
    assert.deepEqual(await take(pages[0]!), []);
    assert.deepEqual(await take(pages[0]!), [], 'a page sent again is taken once');
    assert.equal(await statement(), undefined, 'not a statement until every page is in');
    // Seen on /metrics while it waits: one statement, its oldest page waiting since it came.
    const registry = new Registry();
    bankingMetrics(registry, db);
    const gauge = async (name: string) => Number((await registry.getSingleMetric(name)!.get()).values[0]?.value);
    assert.equal(await gauge('depositum_banking_statements_incomplete'), 1);
    const waited = await gauge('depositum_banking_statement_pages_waiting_seconds');
    assert.ok(waited > 0 && waited < 3600, `waiting since the first page came (${waited} s)`);
    await assert.rejects(take(pages[0]!.replace('<Cd>OPBD</Cd>', '<Cd>PRCD</Cd>')), /page 1 was received before with other content/);
    const [outcome] = await take(pages[1]!);
    assert.deepEqual([await gauge('depositum_banking_statements_incomplete'), await gauge('depositum_banking_statement_pages_waiting_seconds')], [0, 0], 'whole: nothing waits');
    assert.deepEqual([outcome?.statement, outcome?.supply, outcome?.closingBalance, outcome?.creditsInTransit], ['STMT-PAGED', '30.00', '30.00', '4.00']);
    // Its only breaks are the earlier statement's credit R-3, never minted and still in the account: every entry of the pages matched.
    const breaks = await db.selectFrom('banking_breaks').select(['kind', 'subject']).where('statement_id', '=', 'STMT-PAGED').orderBy('kind').execute() as { kind: string; subject: string }[];
    assert.deepEqual(breaks.map((b) => [b.kind, b.subject]), [['balance_difference', 'STMT-PAGED/closing']]);
    const kept = await statement();
    assert.deepEqual([kept?.entries, kept?.opening_balance, kept?.closing_balance, kept?.message_id], [5, '15.00', '30.00', 'STMT-PAGED-1']);
    assert.equal(kept?.hash, sha256Hex(pages.map((xml) => sha256Hex(xml)).join('\n')), "the statement's hash: its pages' hashes, in page order");
    const entries = await db.selectFrom('banking_statement_entries').select(['n', 'entry_key', 'settled']).where('statement_id', '=', 'STMT-PAGED').orderBy('n').execute() as { n: number; entry_key: string; settled: number }[];
    assert.deepEqual(entries.map((e) => [e.entry_key, e.settled]), references.map((reference) => [`${OMNIBUS.id}/${reference}`, 1]), 'every entry of every page, in page order, matched');
    // Complete: a page again is a duplicate of the statement; a page beyond its last, or another version of a page, is refused.
    assert.deepEqual((await take(pages[1]!)).map((o) => [o.statement, o.duplicate]), [['STMT-PAGED', true]]);
    await assert.rejects(take(pages[2]!.replace('<PgNb>3</PgNb>', '<PgNb>4</PgNb>').replaceAll('<PgNb>3</PgNb>', '<PgNb>4</PgNb>')), /STMT-PAGED was received before, whole or in pages, and this page 4 is not one of them/);
  });

  it('refuses pages that cannot make a statement: a page after the last, a second last page, a last page without a closing balance', async () => {
    const { db } = prepared.services;
    const reconciler = new Reconciler(db, new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('banking') }), settings, Date.now);
    const page = (number: number, last: boolean, balances: Parameters<typeof buildCamt053>[3]) => buildCamt053(`STMT-BAD-${number}`, { id: 'STMT-BAD', sequence: 3, from: new Date(cutoff).toISOString(), to: new Date(cutoff + 2_000).toISOString(), page: { number, last } }, OMNIBUS, balances, []);
    const take = async (xml: string) => {
      const message = await readIncoming(xml);
      if (!('reports' in message)) throw new Error('not a statement');
      return reconciler.take(message, xml);
    };
    await assert.rejects(take(page(2, true, [{ type: 'OPBD', amount: '1.00', date: today }])), /page 2, the last, states no closing \(CLBD\) or interim/);
    assert.deepEqual(await take(page(2, true, [{ type: 'CLBD', amount: '30.00', date: today }])), []);
    await assert.rejects(take(page(3, false, [{ type: 'ITBD', amount: '30.00', date: today }])), /page 2 was the statement's last/);
    await assert.rejects(take(page(1, true, [{ type: 'OPBD', amount: '30.00', date: today }, { type: 'CLBD', amount: '30.00', date: today }])), /STMT-BAD is being received in pages \(1 so far\): a whole statement of the same id is refused/, 'page 1 of 1 is a whole statement');
    await assert.rejects(take(page(3, true, [{ type: 'CLBD', amount: '30.00', date: today }])), /page 2 was the statement's last/);
    const other = (number: number, last: boolean) => page(number, last, [{ type: last ? 'CLBD' : 'ITBD', amount: '30.00', date: today }]).replaceAll('STMT-BAD', 'STMT-BAD-2');
    assert.deepEqual(await take(other(3, false)), []);
    await assert.rejects(take(other(2, true)), /STMT-BAD-2 page 2 says it is the last, and page 3 came before it/);
    assert.deepEqual(await db.selectFrom('banking_statements').select('statement_id').where('statement_id', 'in', ['STMT-BAD', 'STMT-BAD-2']).execute(), [], 'none of them a statement');
  });
});
