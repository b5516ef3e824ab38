import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { bankingModule } from '../../../src/modules/banking/index.js';
import { readIncoming } from '../../../src/modules/banking/iso20022/index.js';
import { Reconciler } from '../../../src/modules/banking/reconcile.js';
import type { BankingSettings } from '../../../src/modules/banking/settings.js';
import { buildCamt053, type SimEntry } from '../../../src/modules/banking/sim/messages.js';
import type { CreditRow, SupplyRow } from '../../../src/modules/banking/tables.js';
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
});
