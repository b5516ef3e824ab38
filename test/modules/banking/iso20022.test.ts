import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { readIncoming, SchemaDirectory, type BankReport, type IncomingMessage, type StatusReport } from '../../../src/modules/banking/iso20022/index.js';

/** The official XSDs, read where the project's shared data lives (never copied into the repo). */
const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

function schemas(): SchemaDirectory {
  assert.ok(existsSync(XSD_DIR), `the ISO 20022 XSDs are expected in ${XSD_DIR}`);
  return new SchemaDirectory(XSD_DIR);
}

const report = (message: IncomingMessage) => message as BankReport & IncomingMessage;
const status = (message: IncomingMessage) => message as StatusReport & IncomingMessage;

async function refusal(xml: string, withSchemas = true): Promise<string> {
  const error = await readIncoming(xml, withSchemas ? schemas() : undefined).then(() => null, (e: Error) => e);
  assert.ok(error !== null, 'the message was accepted');
  assert.equal(error.name, 'MessageError');
  return error.message;
}

describe('ISO 20022 messages from the bank', () => {
  it('has the official XSDs of every message the module reads or writes at hand', () => {
    assert.deepEqual(schemas().messages, ['camt.053.001.08', 'camt.054.001.08', 'pacs.002.001.11', 'pacs.004.001.10', 'pacs.008.001.09', 'pain.001.001.10']);
  });

  it('reads a camt.054.001.08 credit notification, valid against its XSD, every amount and reference as the bank wrote it', async () => {
    const message = report(await readIncoming(fixture('camt.054.001.08.xml'), schemas()));
    assert.deepEqual(message.schema, { schema: 'camt.054.001.08.xsd', valid: true, errors: [] });
    assert.deepEqual([message.messageType, message.version, message.messageId], ['camt.054', '001.08', 'FMB-C54-20261122-0001']);
    const [notification] = message.reports;
    assert.deepEqual(notification!.account, { id: 'OMNIBUS-USD-001', currency: 'USD' });
    const [credit, debit] = notification!.entries;
    assert.deepEqual(credit, {
      entryReference: 'NTRY-000451', accountServicerReference: 'FMB20261122000451', amount: '250000.00', currency: 'USD', creditDebit: 'credit', reversal: false,
      status: 'BOOK', bookingDate: '2026-11-22', valueDate: '2026-11-22',
      transactions: [{
        endToEndId: 'ACME-TOKENISE-0042', uetr: '8a562c67-ca16-48ba-b074-65581be6f001', accountServicerReference: 'FMB20261122000451', amount: '250000.00', currency: 'USD',
        debtor: { name: 'Acme Logistics Inc.', account: 'ACME-DDA-4410' }, creditor: {}, remittance: ['Tokenise to acme-usd'],
      }],
    });
    assert.deepEqual([debit!.creditDebit, debit!.amount, debit!.bookingDate, debit!.transactions[0]!.creditor], ['debit', '1200.50', '2026-11-22T15:30:00-05:00', { name: 'Globex Trading Pte. Ltd.', account: 'GB33BUKB20201555555555' }]);
  });

  it('reads a camt.054.001.02 as banks still send it: a status code without Cd, a party name without Pty, the amount in AmtDtls, leading zeros kept', async () => {
    const message = report(await readIncoming(fixture('camt.054.001.02.xml'), schemas()));
    assert.equal(message.schema, null, 'no XSD of .02 in the deployment: read by structure');
    const [entry] = message.reports[0]!.entries;
    assert.deepEqual([entry!.status, entry!.entryReference, entry!.amount, entry!.valueDate], ['BOOK', '000000077', '10000000.00', '2026-11-23']);
    assert.deepEqual(entry!.transactions[0], {
      endToEndId: 'NOTPROVIDED', transactionId: 'FMB-TX-77', amount: '10000000.00', currency: 'USD',
      debtor: { name: 'Initech Manufacturing GmbH', account: 'DE89370400440532013000' }, creditor: {}, remittance: ['Liquidity for tokens', 'second line'],
    });
  });

  it('reads camt.053 statements with their opening and closing balances, in .08 (validated) and .02', async () => {
    const current = report(await readIncoming(fixture('camt.053.001.08.xml'), schemas()));
    assert.equal(current.schema?.valid, true);
    const [statement] = current.reports;
    assert.deepEqual(statement!.balances.map((b) => [b.type, b.amount, b.creditDebit, b.date]), [['OPBD', '1000000.00', 'credit', '2026-11-22'], ['CLBD', '1248799.50', 'credit', '2026-11-22']]);
    assert.deepEqual([statement!.sequence, statement!.entries.length], ['326', 2]);
    const legacy = report(await readIncoming(fixture('camt.053.001.02.xml'), schemas()));
    const [old] = legacy.reports;
    assert.deepEqual(old!.account, { id: 'SG46SCBL00000000001234', currency: 'USD' });
    assert.deepEqual(old!.balances[1], { type: 'CLBD', amount: '75.3', currency: 'USD', creditDebit: 'debit', date: '2026-11-22' });
    assert.deepEqual([old!.entries[0]!.reversal, old!.entries[0]!.accountServicerReference, old!.entries[0]!.entryReference], [true, '0042', undefined]);
  });

  it('reads payment status reports: pacs.002.001.11 (validated) per transaction, pain.002.001.03 per payment block, with reasons', async () => {
    const interbank = status(await readIncoming(fixture('pacs.002.001.11.xml'), schemas()));
    assert.equal(interbank.schema?.valid, true);
    assert.deepEqual(interbank.original, { messageId: 'DEPOSITUM-P008-0007', messageType: 'pacs.008.001.09' });
    assert.deepEqual(interbank.transactions.map((tx) => [tx.originalEndToEndId, tx.status, tx.reasons]), [
      ['RDM-0007', 'ACSC', []],
      ['RDM-0008', 'RJCT', [{ code: 'AC04', info: ['Creditor account closed'] }]],
    ]);
    const customer = status(await readIncoming(fixture('pain.002.001.03.xml'), schemas()));
    assert.equal(customer.original.groupStatus, 'PART');
    assert.deepEqual(customer.transactions[1], { originalPaymentInformationId: 'PAYOUTS-20261122', originalEndToEndId: 'RDM-0011', status: 'RJCT', reasons: [{ proprietary: 'LIMIT', info: ['Daily payout limit reached', 'retry tomorrow'] }] });
  });

  it('reads a Document under a namespace prefix, or wrapped in an envelope with a business application header', async () => {
    const prefixed = fixture('camt.054.001.08.xml').replace('<Document xmlns=', '<ns2:Document xmlns:ns2=').replace('</Document>', '</ns2:Document>').replace(/<(\/?)(?!ns2:|\?)([A-Za-z])/g, '<$1ns2:$2');
    assert.equal(report(await readIncoming(prefixed, schemas())).reports[0]!.entries[0]!.amount, '250000.00');
    const wrapped = `<Envelope><AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><BizMsgIdr>X</BizMsgIdr></AppHdr>${fixture('pacs.002.001.11.xml').replace(/<\?xml[^>]*>/, '')}</Envelope>`;
    assert.equal(status(await readIncoming(wrapped)).transactions.length, 2);
  });

  it('reads a message as the bytes received, as UTF-8 whatever its declaration says; bytes that are not UTF-8, or a DOCTYPE, are refused', async () => {
    const camt054 = fixture('camt.054.001.08.xml');
    const debtorOf = (message: IncomingMessage) => report(message).reports[0]!.entries[0]!.transactions[0]!.debtor.name;
    assert.deepEqual(report(await readIncoming(Buffer.from(camt054), schemas())), report(await readIncoming(camt054, schemas())));
    // A declaration naming another encoding does not turn UTF-8 into mojibake.
    const accented = camt054.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').replace('<Nm>Acme Logistics Inc.</Nm>', '<Nm>Société Générale</Nm>');
    assert.equal(debtorOf(await readIncoming(Buffer.from(accented, 'utf8'), schemas())), 'Société Générale');
    const refusedBytes = async (bytes: Buffer) => (await readIncoming(bytes, schemas()).then(() => null, (e: Error) => e))?.message ?? 'accepted';
    assert.match(await refusedBytes(Buffer.from(accented, 'latin1')), /not well-formed XML/);
    assert.match(await refusedBytes(Buffer.from(camt054.replace('<Document', '<!DOCTYPE Document [<!ENTITY a "aaaa">]><Document'))), /DOCTYPE/);
  });

  it('refuses, saying why, a message in an unknown version or family, one that fails its XSD, one that lacks what is needed, and any DOCTYPE', async () => {
    const camt054 = fixture('camt.054.001.08.xml');
    assert.match(await refusal(camt054.replace('camt.054.001.08', 'camt.054.001.09')), /camt\.054\.001\.09 is not a supported version of camt\.054/);
    assert.match(await refusal(camt054.replaceAll('camt.054.001.08', 'camt.060.001.05')), /camt\.060 is not a message the banking module reads/);
    assert.match(await refusal(camt054.replace(' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"', '')), /names no ISO 20022 namespace/);
    assert.match(await refusal(camt054.replace('<Amt Ccy="USD">250000.00</Amt>', '<Amt Ccy="USD">250,000.00</Amt>')), /fails camt\.054\.001\.08\.xsd: line \d+: .*Amt/);
    assert.match(await refusal(camt054.replace('<Amt Ccy="USD">250000.00</Amt>', '<Amt Ccy="USD">2.5e5</Amt>'), false), /Ntfctn\[0\]\/Ntry\[0\]: amount "2\.5e5" is not a decimal amount/);
    assert.match(await refusal(fixture('camt.054.001.02.xml').replace('<CdtDbtInd>CRDT</CdtDbtInd>', '')), /Ntry\[0\]: CdtDbtInd is missing/);
    assert.match(await refusal(fixture('camt.053.001.02.xml').replace('<MsgId>STMT20261122SCB</MsgId>', '')), /GrpHdr: MsgId is missing/);
    assert.match(await refusal('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">&a;</Document>'), /DOCTYPE/);
    assert.match(await refusal('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>'), /not well-formed XML|no .*Ntfctn|missing/);
    assert.match(await refusal('not xml at all'), /not well-formed XML/);
  });
});
