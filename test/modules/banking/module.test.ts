import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bankingModule } from '../../../src/modules/banking/index.js';
import { SchemaDirectory } from '../../../src/modules/banking/iso20022/index.js';
import { loadBankingSettings, type BankingSettings } from '../../../src/modules/banking/settings.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';

// Every answer of the node and the module's routes is checked against its declared schema.
process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

interface Credit { entry: string; status: string; reason: string | null; amount: string; tokenAccount: string | null }
interface Payout { account: string; amount: string; payoutReference: string; status: string; messageId: string | null; endToEndId: string | null; problem: string | null }

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
    const partial = join(settings.inbox, 'in', `${name}.part`);
    writeFileSync(partial, xml);
    renameSync(partial, join(settings.inbox, 'in', name));
  }
  const settled = (name: string, where: 'processed' | 'failed') => eventually(`${name} in ${where}/`, async () => existsSync(join(settings.inbox, where, name)));

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

  it('puts a credit from an unlinked account in suspense, and sets aside, with why, a statement, an unknown version and a file failing its XSD', async () => {
    drop('20261122-0003-camt054.xml', fixture('camt.054.001.02.xml'));
    await settled('20261122-0003-camt054.xml', 'processed');
    const suspense = (await client('first-meridian').request<{ data: Credit[] }>('GET', '/v1/banking/credits?status=suspense')).data;
    assert.deepEqual(suspense.map((c) => [c.entry, c.reason]), [['OMNIBUS-USD-001/FMB-LEG-000077', 'unlinked_account']]);
    const aside: [string, string, RegExp][] = [
      ['20261122-0004-camt053.xml', fixture('camt.053.001.08.xml'), /camt\.053\.001\.08 is read but not yet acted on/],
      ['20261122-0005-next.xml', fixture('camt.054.001.08.xml').replace('camt.054.001.08', 'camt.054.001.13'), /camt\.054\.001\.13 is not a supported version/],
      ['20261122-0006-broken.xml', fixture('camt.054.001.08.xml').replace('<Amt Ccy="USD">250000.00</Amt>', '<Amt Ccy="USD">lots</Amt>'), /fails camt\.054\.001\.08\.xsd/],
    ];
    for (const [name, xml, why] of aside) {
      drop(name, xml);
      await settled(name, 'failed');
      assert.match(readFileSync(join(settings.inbox, 'failed', `${name}.reason`), 'utf8'), why);
    }
    assert.equal(await balance('acme-usd'), '250000.00', 'nothing set aside was minted');
  });

  it('pays each committed redemption of its token back to the linked bank account as a pacs.008 valid against the XSD, once; one with no routable link is marked so', async () => {
    const issuer = KeyStore.at(join(dir.path, 'data')).load('first-meridian');
    await client('acme').submit([{ type: 'redeem', account: 'acme-usd', amount: '1000.00', payoutReference: 'RDM-0007' }], { cosigners: [issuer] });
    await client('first-meridian').submit([{ type: 'issue', account: 'globex-usd', amount: '50.00', depositReference: 'DEP-G' }]);
    await client('globex').submit([{ type: 'redeem', account: 'globex-usd', amount: '50.00', payoutReference: 'RDM-0008' }], { cosigners: [issuer] });
    const payouts = await eventually('both payouts handled', async () => {
      const { data } = await client('first-meridian').request<{ data: Payout[] }>('GET', '/v1/banking/payouts');
      return data.length === 2 && data.every((p) => p.status !== 'due') ? data : null;
    });
    const acme = payouts.find((p) => p.account === 'acme-usd');
    const globex = payouts.find((p) => p.account === 'globex-usd');
    assert.deepEqual([acme!.account, acme!.amount, acme!.status, acme!.endToEndId], ['acme-usd', '1000.00', 'sent', 'RDM-0007']);
    assert.deepEqual([globex!.account, globex!.status], ['globex-usd', 'unroutable']);
    assert.match(globex!.problem!, /no bank account with its holder's name, address and bank is linked to globex-usd/);
    const xml = readFileSync(join(settings.inbox, 'out', `${acme!.messageId}.xml`), 'utf8');
    assert.deepEqual((await new SchemaDirectory(XSD_DIR).validate(xml, 'pacs.008.001.09')).errors, []);
    assert.match(xml, /<EndToEndId>RDM-0007<\/EndToEndId>[\s\S]*<IntrBkSttlmAmt Ccy="USD">1000\.00<\/IntrBkSttlmAmt>[\s\S]*<Othr>\s*<Id>OMNIBUS-USD-001<\/Id>[\s\S]*<Nm>Acme Logistics Inc\.<\/Nm>\s*<PstlAdr>\s*<TwnNm>Chicago<\/TwnNm>\s*<Ctry>US<\/Ctry>[\s\S]*<Id>ACME-DDA-4410<\/Id>/);
    assert.deepEqual(readdirSync(join(settings.inbox, 'out')), [`${acme!.messageId}.xml`], 'one message, no partial file left');
  });

  it('reads its settings from the file DEPOSITUM_BANKING_CONFIG names, and says what is wrong with one', () => {
    const file = join(dir.path, 'banking.json');
    writeFileSync(file, JSON.stringify(settings));
    assert.deepEqual(loadBankingSettings(file), settings);
    writeFileSync(file, JSON.stringify({ ...settings, staff: [] }));
    assert.throws(() => loadBankingSettings(file), /banking\.json: .*staff/);
    assert.throws(() => loadBankingSettings(undefined), /DEPOSITUM_BANKING_CONFIG/);
  });
});
