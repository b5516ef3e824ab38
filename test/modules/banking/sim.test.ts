import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readIncoming, SchemaDirectory } from '../../../src/modules/banking/iso20022/index.js';
import { buildPacs004, buildPacs008 } from '../../../src/modules/banking/iso20022/index.js';
import { BankCore, SimError } from '../../../src/modules/banking/sim/core.js';
import { buildCamt053, buildCamt054, buildPacs002 } from '../../../src/modules/banking/sim/messages.js';
import { tempDir } from '../../helpers.js';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const schemas = new SchemaDirectory(XSD_DIR);
const OMNIBUS = { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' };
const ACME = { name: 'Acme Logistics Inc.', account: 'ACME-DDA-4410' };

describe('the simulated core: its messages', () => {
  it('writes camt.054, camt.053 and pacs.002 valid against the official XSDs, which the module reads back as written', async () => {
    const credit = { reference: 'SIM20261205000001', amount: '250000.00', side: 'credit' as const, bookingDate: '2026-12-05', endToEndId: 'DEP-1', counterparty: ACME, remittance: 'Deposit for tokens' };
    const debit = { reference: 'SIM20261205000002', amount: '0.01', side: 'debit' as const, bookingDate: '2026-12-05', endToEndId: 'RDM-1', counterparty: ACME };
    const camt054 = buildCamt054('C54-1', '2026-12-05T10:00:00.000Z', OMNIBUS, [credit]);
    const camt053 = buildCamt053('STMT-1', { id: 'STMT-1', sequence: 1, from: '2026-12-05T00:00:00.000Z', to: '2026-12-05T23:59:59.000Z' }, OMNIBUS,
      [{ type: 'OPBD', amount: '-10.00', date: '2026-12-05' }, { type: 'CLBD', amount: '249989.99', date: '2026-12-05' }], [credit, debit]);
    const pacs002 = buildPacs002('P02-1', '2026-12-05T11:00:00.000Z', { messageId: 'DPM-1', messageType: 'pacs.008.001.09' }, [{ endToEndId: 'RDM-1', status: 'ACSC' }, { endToEndId: 'RDM-2', status: 'RJCT', reason: 'AC04', info: 'account closed' }]);
    for (const [xml, message] of [[camt054, 'camt.054.001.08'], [camt053, 'camt.053.001.08'], [pacs002, 'pacs.002.001.11']] as const) {
      assert.deepEqual((await schemas.validate(xml, message)).errors, [], message);
    }
    const statement = await readIncoming(camt053, schemas);
    assert.ok('reports' in statement);
    const report = statement.reports[0]!;
    assert.deepEqual([report.id, report.from, report.to, report.account.id], ['STMT-1', '2026-12-05T00:00:00.000Z', '2026-12-05T23:59:59.000Z', 'FMB-OMNIBUS-USD']);
    assert.deepEqual(report.balances.map((b) => [b.type, b.creditDebit, b.amount]), [['OPBD', 'debit', '10.00'], ['CLBD', 'credit', '249989.99']]);
    assert.deepEqual(report.entries.map((e) => [e.creditDebit, e.amount, e.accountServicerReference, e.transactions[0]?.endToEndId, e.transactions[0]?.debtor.account ?? e.transactions[0]?.creditor.account]),
      [['credit', '250000.00', 'SIM20261205000001', 'DEP-1', 'ACME-DDA-4410'], ['debit', '0.01', 'SIM20261205000002', 'RDM-1', 'ACME-DDA-4410']]);
    const status = await readIncoming(pacs002, schemas);
    assert.ok('transactions' in status);
    assert.deepEqual(status.transactions.map((t) => [t.originalEndToEndId, t.status, t.reasons[0]?.code]), [['RDM-1', 'ACSC', undefined], ['RDM-2', 'RJCT', 'AC04']]);
  });
});

describe('the simulated core: its books', () => {
  const dir = tempDir();
  const drop = join(dir.path, 'bank-link');
  let clock = Date.parse('2026-12-05T09:00:00Z');
  const bank = new BankCore(drop, () => clock);
  after(() => dir.remove());

  it('books a deposit and notifies it (twice when asked), executes payouts from out/ with a pacs.002 (a configured rejection books nothing), books a return, and states the day', async () => {
    bank.open({ omnibus: OMNIBUS, decimals: 2, balance: '100000.00', clients: { [ACME.account]: { name: ACME.name, balance: '500000.00' } }, rejections: { 'GLOBEX-DDA-7702': 'AC04' } });
    await bank.addClient('GLOBEX-DDA-7702', 'Globex Trading Pte. Ltd.', '0.00');
    const sent = await bank.deposit(ACME.account, '250000.00', { endToEndId: 'DEP-1', duplicate: true });
    assert.equal(sent.length, 2);
    const [first, again] = sent.map((s) => readFileSync(join(drop, 'in', s.file), 'utf8'));
    assert.equal(first, again, 'a redelivery is the same message');
    assert.deepEqual([bank.read().omnibusMinor, bank.read().clients[ACME.account]!.balanceMinor], ['35000000', '25000000']);

    const party = (name: string, account: string) => ({ name, address: { town: 'Chicago', country: 'US' }, account, agentBic: 'FMBKUS33' });
    const transfer = (e2e: string, amount: string, account: string) => ({ instructionId: e2e, endToEndId: e2e, uetr: '8a562c67-ca16-48ba-b074-65581be6f001', amount, currency: 'USD', settlementDate: '2026-12-05', debtor: party('First Meridian Bank, N.A.', 'FMB-OMNIBUS-USD'), creditor: party('x', account) });
    writeFileSync(join(drop, 'out', 'DPM-1.xml'), buildPacs008({ messageId: 'DPM-1', createdAt: '2026-12-05T10:00:00Z' }, [transfer('RDM-1', '100000.00', ACME.account), transfer('RDM-2', '5.00', 'GLOBEX-DDA-7702')], { settlementMethod: 'INDA', chargeBearer: 'SHAR' }));
    writeFileSync(join(drop, 'out', 'RTN-1.xml'), buildPacs004({ messageId: 'RTN-1', createdAt: '2026-12-05T10:00:00Z' }, [{ returnId: 'RTN-1', original: { messageId: 'C54-1', messageType: 'camt.054', endToEndId: 'DEP-1' }, amount: '250000.00', currency: 'USD', settlementDate: '2026-12-05', reason: 'AC01' }], { settlementMethod: 'INDA' }));
    const statuses = await bank.executePayouts();
    assert.equal(statuses.length, 1, 'one pacs.002 for the pacs.008; none for the return');
    assert.match(statuses[0]!.summary, /RDM-1 ACSC, RDM-2 RJCT AC04/);
    assert.deepEqual(readdirSync(join(drop, 'out')), [], 'the bank took both');
    assert.deepEqual([bank.read().omnibusMinor, bank.read().clients[ACME.account]!.balanceMinor], ['0', '60000000'], '250,000 returned and 100,000 paid out to Acme; the rejected 5.00 never left');

    clock += 3_600_000;
    const statement = await bank.endOfDay();
    const xml = readFileSync(join(drop, 'in', statement.file), 'utf8');
    assert.deepEqual((await schemas.validate(xml, 'camt.053.001.08')).errors, []);
    const read = await readIncoming(xml);
    assert.ok('reports' in read);
    assert.deepEqual(read.reports[0]!.balances.map((b) => [b.type, b.amount]), [['OPBD', '100000.00'], ['CLBD', '0.00']]);
    assert.deepEqual(read.reports[0]!.entries.map((e) => [e.creditDebit, e.amount, e.transactions[0]?.endToEndId]), [['credit', '250000.00', 'DEP-1'], ['debit', '100000.00', 'RDM-1'], ['debit', '250000.00', 'DEP-1']]);
    const next = readIncoming(readFileSync(join(drop, 'in', (await bank.endOfDay()).file), 'utf8'));
    assert.deepEqual((await next).messageType, 'camt.053');
  });

  it('refuses what a bank would: an unknown account, more than the balance, a malformed amount, opening twice; and says where it is when not open', async () => {
    await assert.rejects(bank.deposit('NOBODY', '1.00'), (error: Error) => error instanceof SimError && /no client account NOBODY/.test(error.message));
    await assert.rejects(bank.deposit(ACME.account, '99999999.00'), /ACME-DDA-4410 holds 600000\.00/);
    await assert.rejects(bank.deposit(ACME.account, '1.001'), /not an amount with at most 2 decimals/);
    await assert.rejects(bank.addClient('ACME-DDA-4410', 'again', '1.00'), /exists/);
    assert.throws(() => bank.open({ omnibus: OMNIBUS, decimals: 2, balance: '0', clients: {} }), /open already/);
    const closed = new BankCore(join(dir.path, 'nowhere'));
    await assert.rejects(closed.deposit(ACME.account, '1.00'), /no bank at .*nowhere: open it first/);
    assert.equal(existsSync(join(drop, 'bank', 'lock')), false, 'no lock left behind');
  });
});
