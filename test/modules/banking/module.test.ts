import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bankingModule } from '../../../src/modules/banking/index.js';
import { SchemaDirectory } from '../../../src/modules/banking/iso20022/index.js';
import { buildCamt054 } from '../../../src/modules/banking/sim/messages.js';
import { loadBankingSettings, type BankingSettings } from '../../../src/modules/banking/settings.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { cli } from '../../cli/run.js';
import { eventually, metric, tempDir } from '../../helpers.js';

// Every answer of the node and the module's routes is checked against its declared schema.
process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

interface Credit { entry: string; status: string; reason: string | null; amount: string; tokenAccount: string | null }
interface Payout { account: string; amount: string; payoutReference: string; status: string; messageId: string | null; endToEndId: string | null; problem: string | null; bankStatus: string | null }

describe('the banking module on a node: the bank drops files, deposits are minted', () => {
  const dir = tempDir();
  const settings: BankingSettings = {
    omnibusAccount: 'OMNIBUS-USD-001', asset: 'usd-fmb', inbox: join(dir.path, 'bank-link'), xsdDirectory: XSD_DIR, staff: ['first-meridian'],
    payout: { format: 'pacs.008', debtor: { name: 'First Meridian Bank, N.A.', street: 'Wall Street', postCode: '10005', town: 'New York', country: 'US', agentBic: 'FMBKUS33' } },
  };
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(join(dir.path, 'data')).load(participant) });
  const balance = async (account: string) => (await client('auditor').account(account)).available;
  /** Writes a message into the drop as a bank does: written beside, renamed into place. */
  function drop(name: string, xml: string): void {
    const partial = join(settings.inbox!, 'in', `${name}.part`);
    writeFileSync(partial, xml);
    renameSync(partial, join(settings.inbox!, 'in', name));
  }
  /** The payouts by redeemed account once `ready` holds for them all. */
  async function payoutsWhen(ready: (all: Payout[]) => boolean): Promise<Map<string, Payout>> {
    const all = await eventually('the payouts', async () => {
      const { data } = await client('first-meridian').request<{ data: Payout[] }>('GET', '/v1/banking/payouts');
      return ready(data) ? data : null;
    });
    return new Map(all.map((p) => [p.account, p]));
  }
  const settled = (name: string, where: 'processed' | 'failed') => eventually(`${name} in ${where}/`, async () => existsSync(join(settings.inbox!, where, name)));

  before(async () => {
    node = await runNode({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [bankingModule(settings)], moduleRunner: { pollMs: 20 } });
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it("lets First Meridian's staff link accounts and read the desk, and no one else", async () => {
    const holder = { name: 'Acme Logistics Inc.', town: 'Chicago', country: 'US', agentBic: 'FMBKUS33' };
    const linked = await client('first-meridian').request<{ bankAccount: string; tokenAccount: string; linkedBy: string }>('POST', '/v1/banking/links', { bankAccount: 'ACME-DDA-4410', tokenAccount: 'acme-usd', holder });
    assert.deepEqual([linked.bankAccount, linked.tokenAccount, linked.linkedBy], ['ACME-DDA-4410', 'acme-usd', 'first-meridian']);
    const refused = await client('acme').request('POST', '/v1/banking/links', { bankAccount: 'ACME-DDA-4410', tokenAccount: 'globex-usd' }).catch((error: unknown) => error);
    assert.ok(refused instanceof DepositumApiError && refused.code === 'forbidden');
    const read = await client('acme').request('GET', '/v1/banking/credits').catch((error: unknown) => error);
    assert.ok(read instanceof DepositumApiError && read.code === 'forbidden');
    assert.equal((await client('auditor').request<{ data: unknown[] }>('GET', '/v1/banking/links')).data.length, 1, 'overseers read');
  });

  it('mints a dropped camt.054 credit once, even when the bank sends the same file again', async () => {
    drop('20261122-0001-camt054.xml', fixture('camt.054.001.08.xml'));
    await settled('20261122-0001-camt054.xml', 'processed');
    assert.equal(await balance('acme-usd'), '250000.00');
    drop('20261122-0002-camt054-resent.xml', fixture('camt.054.001.08.xml'));
    await settled('20261122-0002-camt054-resent.xml', 'processed');
    assert.equal(await balance('acme-usd'), '250000.00');
    const credits = (await client('first-meridian').request<{ data: Credit[] }>('GET', '/v1/banking/credits')).data;
    assert.deepEqual(credits.map((c) => [c.entry, c.status, c.amount, c.tokenAccount]), [['OMNIBUS-USD-001/FMB20261122000451', 'minted', '250000.00', 'acme-usd']]);
  });

  it('puts a credit from an unlinked account in suspense, and sets aside, with why, a statement of another account, an unknown version and a file failing its XSD', async () => {
    drop('20261122-0003-camt054.xml', fixture('camt.054.001.02.xml'));
    await settled('20261122-0003-camt054.xml', 'processed');
    const suspense = (await client('first-meridian').request<{ data: Credit[] }>('GET', '/v1/banking/credits?status=suspense')).data;
    assert.deepEqual(suspense.map((c) => [c.entry, c.reason]), [['OMNIBUS-USD-001/FMB-LEG-000077', 'unlinked_account']]);
    const aside: [string, string, RegExp][] = [
      ['20261122-0004-camt053.xml', fixture('camt.053.001.08.xml').replaceAll('OMNIBUS-USD-001', 'OPERATING-USD-002'), /camt\.053 FMB-STMT-20261122 reports on no account this module reconciles/],
      ['20261122-0005-next.xml', fixture('camt.054.001.08.xml').replace('camt.054.001.08', 'camt.054.001.13'), /camt\.054\.001\.13 is not a supported version/],
      ['20261122-0006-broken.xml', fixture('camt.054.001.08.xml').replace('<Amt Ccy="USD">250000.00</Amt>', '<Amt Ccy="USD">lots</Amt>'), /fails camt\.054\.001\.08\.xsd/],
    ];
    for (const [name, xml, why] of aside) {
      drop(name, xml);
      await settled(name, 'failed');
      assert.match(readFileSync(join(settings.inbox!, 'failed', `${name}.reason`), 'utf8'), why);
    }
    assert.equal(await balance('acme-usd'), '250000.00', 'nothing set aside was minted');

    // What became of it all, on the node's /metrics (the module runs in its process): for an operator's alerts.
    const metrics = await (await fetch(new URL('/metrics', node.url))).text();
    const figure = (series: string) => metric(metrics, series);
    assert.deepEqual(['minted', 'duplicate', 'suspense', 'held'].map((outcome) => figure(`depositum_banking_credits_total{outcome="${outcome}"}`)), [1, 1, 1, 0]);
    assert.equal(figure('depositum_banking_messages_set_aside_total'), aside.length);
    assert.equal(figure('depositum_banking_statements_total{result="breaks"}'), 0);
  });

  it('pays each committed redemption back to the linked bank account as a pacs.008 valid against the XSD; one with no routable link is marked so', async () => {
    const issuer = KeyStore.at(join(dir.path, 'data')).load('first-meridian');
    await client('first-meridian').request('POST', '/v1/banking/links', { bankAccount: 'GB33BUKB20201555555555', tokenAccount: 'globex-usd', holder: { name: 'Globex Trading Pte. Ltd.', town: 'Singapore', country: 'SG', agentBic: 'BUKBGB22XXX' } });
    await client('first-meridian').submit([{ type: 'issue', account: 'globex-usd', amount: '50.00', depositReference: 'DEP-G' }, { type: 'issue', account: 'initech-usd', amount: '10.00', depositReference: 'DEP-I' }]);
    await client('acme').submit([{ type: 'redeem', account: 'acme-usd', amount: '1000.00', payoutReference: 'RDM-0007' }], { cosigners: [issuer] });
    await client('globex').submit([{ type: 'redeem', account: 'globex-usd', amount: '50.00', payoutReference: 'RDM-0008' }], { cosigners: [issuer] });
    await client('initech').submit([{ type: 'redeem', account: 'initech-usd', amount: '10.00', payoutReference: 'RDM-0009' }], { cosigners: [issuer] });
    const byAccount = await payoutsWhen((all) => all.length === 3 && all.every((p) => p.status !== 'due'));
    assert.deepEqual([byAccount.get('acme-usd')!.status, byAccount.get('acme-usd')!.endToEndId, byAccount.get('globex-usd')!.status], ['sent', 'RDM-0007', 'sent']);
    assert.equal(byAccount.get('initech-usd')!.status, 'unroutable');
    assert.match(byAccount.get('initech-usd')!.problem!, /no bank account with its holder's name, address and bank is linked to initech-usd/);
    const acme = byAccount.get('acme-usd')!;
    const xml = readFileSync(join(settings.inbox!, 'out', `${acme.messageId}.xml`), 'utf8');
    assert.deepEqual((await new SchemaDirectory(XSD_DIR).validate(xml, 'pacs.008.001.09')).errors, []);
    assert.match(xml, /<EndToEndId>RDM-0007<\/EndToEndId>[\s\S]*<IntrBkSttlmAmt Ccy="USD">1000\.00<\/IntrBkSttlmAmt>[\s\S]*<Othr>\s*<Id>OMNIBUS-USD-001<\/Id>[\s\S]*<Nm>Acme Logistics Inc\.<\/Nm>\s*<PstlAdr>\s*<TwnNm>Chicago<\/TwnNm>\s*<Ctry>US<\/Ctry>[\s\S]*<Id>ACME-DDA-4410<\/Id>/);
    assert.deepEqual(readdirSync(join(settings.inbox!, 'out')).sort(), [`${acme.messageId}.xml`, `${byAccount.get('globex-usd')!.messageId}.xml`].sort(), 'one message per payout, no partial file left');
  });

  it("follows the bank's pacs.002: a settled payout closes, a rejected one gives the tokens back once, a report of unknown payouts is set aside", async () => {
    const status = (e2e: string, sts: string, reason = '') => `<TxInfAndSts><OrgnlEndToEndId>${e2e}</OrgnlEndToEndId><TxSts>${sts}</TxSts>${reason}</TxInfAndSts>`;
    const report = (id: string, ...transactions: string[]) => `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.002.001.11"><FIToFIPmtStsRpt><GrpHdr><MsgId>${id}</MsgId><CreDtTm>2026-11-23T10:00:00Z</CreDtTm></GrpHdr>
<OrgnlGrpInfAndSts><OrgnlMsgId>DPM</OrgnlMsgId><OrgnlMsgNmId>pacs.008.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>${transactions.join('')}</FIToFIPmtStsRpt></Document>`;
    const rejected = report('FMB-P002-0001', status('RDM-0007', 'ACSC'), status('RDM-0008', 'RJCT', '<StsRsnInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>Creditor account closed</AddtlInf></StsRsnInf>'));
    drop('20261123-0001-pacs002.xml', rejected);
    await settled('20261123-0001-pacs002.xml', 'processed');
    const byAccount = await payoutsWhen((all) => all.filter((p) => p.status === 'settled' || p.status === 'rejected').length === 2);
    assert.deepEqual([byAccount.get('acme-usd')!.status, byAccount.get('acme-usd')!.bankStatus], ['settled', 'ACSC']);
    const globex = byAccount.get('globex-usd')!;
    assert.deepEqual([globex.status, globex.bankStatus], ['rejected', 'RJCT']);
    assert.match(globex.problem!, /AC04 Creditor account closed; the tokens were given back/);
    assert.equal(await balance('globex-usd'), '50.00', 'the rejected payout re-credited');
    drop('20261123-0002-pacs002-again.xml', rejected);
    await settled('20261123-0002-pacs002-again.xml', 'processed');
    assert.equal(await balance('globex-usd'), '50.00', 'not twice');
    drop('20261123-0003-pacs002-other.xml', report('OTHER-1', status('NOT-OURS', 'RJCT')));
    await settled('20261123-0003-pacs002-other.xml', 'failed');
    assert.match(readFileSync(join(settings.inbox!, 'failed', '20261123-0003-pacs002-other.xml.reason'), 'utf8'), /speaks of no payout this module sent/);
  });

  it('takes a drop of more files than a round, round after round: each credit minted once, a bad file set aside', async () => {
    const before = await balance('acme-usd');
    const count = 1_205;
    const account = { id: settings.omnibusAccount, currency: 'USD', bic: 'FMBKUS33XXX' };
    const names = Array.from({ length: count }, (_, i) => `20261124-${String(i).padStart(5, '0')}-camt054.xml`);
    for (const [i, name] of names.entries()) {
      const reference = `BULK${String(i).padStart(8, '0')}`;
      const xml = buildCamt054(`C54-${reference}`, '2026-11-24T09:00:00Z', account, [{ reference, amount: '1.00', side: 'credit', bookingDate: '2026-11-24', endToEndId: `E2E-${reference}`, counterparty: { name: 'Acme Logistics Inc.', account: 'ACME-DDA-4410' } }]);
      // One file of the second round fails its XSD.
      drop(name, i === 1_100 ? xml.replace('<Amt Ccy="USD">1.00</Amt>', '<Amt Ccy="USD">1,00</Amt>') : xml);
    }
    await eventually('every file taken', async () => readdirSync(join(settings.inbox!, 'in')).length === 0);
    assert.equal(names.filter((name) => existsSync(join(settings.inbox!, 'processed', name))).length, count - 1);
    assert.ok(existsSync(join(settings.inbox!, 'failed', names[1_100]!)));
    const cents = (amount: string) => BigInt(amount.replace('.', ''));
    assert.equal(cents(await balance('acme-usd')) - cents(before), BigInt(count - 1) * 100n, 'each credit minted once');
  });

  it("pages the desk's credits from the CLI: 500 a page, the next after the last entry shown, an unknown entry refused", async () => {
    const credits = (...args: string[]) => cli(join(dir.path, 'data'), '--url', node.url, '--as', 'first-meridian', '--json', 'banking', 'credits', '--status', 'minted', ...args);
    const page = async (...args: string[]) => {
      const run = await credits(...args);
      assert.equal(run.code, 0, run.stderr);
      return (JSON.parse(run.stdout) as Credit[]).map((c) => c.entry);
    };
    const first = await page();
    assert.equal(first.length, 500);
    const second = await page('--starting-after', first.at(-1)!);
    const query = new URLSearchParams({ status: 'minted', limit: '500', starting_after: first.at(-1)! });
    const api = await client('first-meridian').request<{ data: Credit[] }>('GET', `/v1/banking/credits?${query}`);
    assert.deepEqual(second, api.data.map((c) => c.entry), 'the page the route gives after that entry');
    assert.equal(second.length, 500);
    assert.equal(new Set([...first, ...second]).size, 1_000, 'no credit on both pages');

    const unknown = await credits('--starting-after', 'OMNIBUS-USD-001/NO-SUCH-ENTRY');
    assert.equal(unknown.code, 1);
    const error = (JSON.parse(unknown.stdout) as { error: { code: string; message: string } }).error;
    assert.deepEqual([error.code, error.message], ['invalid_request', 'no credit OMNIBUS-USD-001/NO-SUCH-ENTRY to start after']);
  });

  it('reads its settings from the file DEPOSITUM_BANKING_CONFIG names, and says what is wrong with one', () => {
    const file = join(dir.path, 'banking.json');
    writeFileSync(file, JSON.stringify(settings));
    assert.deepEqual(loadBankingSettings(file), settings);
    writeFileSync(file, JSON.stringify({ ...settings, staff: [] }));
    assert.throws(() => loadBankingSettings(file), /banking\.json: .*staff/);
    assert.throws(() => loadBankingSettings(undefined), /DEPOSITUM_BANKING_CONFIG/);
    const overQueues = { ...settings, inbox: undefined, amqp: { url: 'amqp://127.0.0.1', queueArguments: { 'x-queue-type': 'quorum', 'x-max-length': 1_000_000 } } };
    writeFileSync(file, JSON.stringify(overQueues));
    assert.deepEqual(loadBankingSettings(file).amqp, overQueues.amqp);
    writeFileSync(file, JSON.stringify({ ...overQueues, amqp: { ...overQueues.amqp, queueArguments: { durable: true } } }));
    assert.throws(() => loadBankingSettings(file), /banking\.json: .*queueArguments/);
  });
});
