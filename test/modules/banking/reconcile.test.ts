import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { describeVerification, verifyNode } from '../../../src/cli/verify.js';
import { bankingModule } from '../../../src/modules/banking/index.js';
import type { BankingSettings } from '../../../src/modules/banking/settings.js';
import { BREAK_KINDS } from '../../../src/modules/banking/tables.js';
import { BankCore } from '../../../src/modules/banking/sim/core.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { eventually, metric, tempDir } from '../../helpers.js';

process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;

interface Statement { statement: string; closingBalance: string; supply: string; creditsInTransit: string; payoutsInTransit: string; unexplained: string; breaks: number; reconciled: boolean; attestation: string | null; attestationProblem: string | null }
interface Break { id: string; statement: string; kind: string; subject: string; amount: string | null; status: string; resolvedBy: string | null; resolutionNote: string | null; detail: string }
interface Request { id: string; status: string; outcome: Record<string, unknown> | null }

/**
 * The banking module against the simulated core, day by day: what the bank books and
 * states, what the ledger mints and burns, and the reconciliation between them.
 */
describe('the banking module reconciles the bank\'s statements with the supply', () => {
  const dir = tempDir();
  const settings: BankingSettings = {
    omnibusAccount: 'FMB-OMNIBUS-USD', asset: 'usd-fmb', inbox: join(dir.path, 'bank-link'), xsdDirectory: XSD_DIR, staff: ['first-meridian'],
    payout: { format: 'pacs.008', debtor: { name: 'First Meridian Bank, N.A.', town: 'New York', country: 'US', agentBic: 'FMBKUS33' } },
  };
  const bank = new BankCore(settings.inbox!);
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(join(dir.path, 'data')).load(participant) });
  const desk = () => client('first-meridian');
  const balance = async (account: string) => (await client('auditor').account(account)).available;
  const statements = async () => (await desk().request<{ data: Statement[] }>('GET', '/v1/banking/statements')).data;
  const breaks = async (status?: string) => (await desk().request<{ data: Break[] }>('GET', `/v1/banking/breaks${status === undefined ? '' : `?status=${status}`}`)).data;
  const redeem = async (holder: string, amount: string, reference: string) => {
    await client(holder).submit([{ type: 'redeem', account: `${holder}-usd`, amount, payoutReference: reference }], { cosigners: [KeyStore.at(join(dir.path, 'data')).load('first-meridian')] });
  };
  /** The bank executes the payouts the module sends and the module takes the pacs.002 back. */
  const payOut = async () => {
    await bank.waitForPayouts();
    await bank.waitTaken(await bank.executePayouts());
  };
  const endOfDay = async () => {
    const sent = await bank.endOfDay();
    await bank.waitTaken([sent]);
    return (await statements())[0]!;
  };
  /** Posts a desk request and waits until the module's participant has carried it out. */
  const ask = async (body: Record<string, unknown>): Promise<Request> => {
    const posted = await desk().request<Request>('POST', '/v1/banking/requests', body);
    return eventually(`request ${posted.id}`, async () => {
      const now = await desk().request<Request>('GET', `/v1/banking/requests/${posted.id}`);
      return now.status === 'pending' ? null : now;
    });
  };

  before(async () => {
    node = await runNode({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [bankingModule(settings)], moduleRunner: { pollMs: 20 } });
    const supply = (await client('auditor').asset('usd-fmb')).supply;
    bank.open({
      omnibus: { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' }, decimals: 2, balance: supply,
      clients: { 'ACME-DDA-4410': { name: 'Acme Logistics Inc.', balance: '5000000.00' }, 'GLOBEX-DDA-7702': { name: 'Globex Trading Pte. Ltd.', balance: '100000.00' }, 'INITECH-DDA-1200': { name: 'Initech Manufacturing GmbH', balance: '100000.00' }, 'HOOLI-DDA-0001': { name: 'Hooli Holdings Inc.', balance: '100000.00' } },
      rejections: { 'GLOBEX-DDA-7702': 'AC04' },
    });
    for (const [account, token, name, town, country] of [['ACME-DDA-4410', 'acme-usd', 'Acme Logistics Inc.', 'Chicago', 'US'], ['GLOBEX-DDA-7702', 'globex-usd', 'Globex Trading Pte. Ltd.', 'Singapore', 'SG']] as const) {
      await desk().request('POST', '/v1/banking/links', { bankAccount: account, tokenAccount: token, holder: { name, town, country, agentBic: 'FMBKUS33' } });
    }
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('closes a day that reconciles: a deposit minted once though notified twice, a redemption paid out, the statement equal to the supply, attested on the chain', async () => {
    const opening = await balance('acme-usd');
    await bank.waitTaken(await bank.deposit('ACME-DDA-4410', '250000.00', { duplicate: true }));
    assert.equal(await balance('acme-usd'), (Number(opening) + 250000).toFixed(2), 'minted once');
    await redeem('acme', '100000.00', 'RDM-0001');
    await payOut();
    const statement = await endOfDay();
    assert.deepEqual([statement.reconciled, statement.breaks, statement.creditsInTransit, statement.payoutsInTransit, statement.unexplained], [true, 0, '0.00', '0.00', '0.00']);
    assert.equal(statement.closingBalance, statement.supply);
    // On the chain: the auditor reads the attestation, and the supply the ledger held then.
    const { data } = await client('auditor').events({ types: ['reconciliation_attested'] });
    const attested = data.find((e) => e.data['statement'] === statement.statement)!;
    assert.deepEqual([attested.data['reconciled'], attested.data['statementBalance'], attested.data['supply'], attested.data['attestedBy']], [true, statement.closingBalance, statement.supply, 'banking']);
    assert.equal(attested.transaction?.id, statement.attestation);
    // The daily report, as a spreadsheet.
    const csv = await desk().request<string>('GET', `/v1/banking/report?statement=${statement.statement}&format=csv`);
    assert.match(csv, /^record,statement,entry,side,amount,booking_date,end_to_end_id,status,kind,detail\n/);
    assert.equal(csv.match(/^entry,.*,matched,,$/gm)?.length, 2, 'the deposit and the payout, each matched');
    assert.match(csv, /^balance,STMT-[0-9]+-0001,,,\d+\.\d\d,,,reconciled,,/m);
    // And counted on the node's /metrics (the module runs in its process): the deposit minted once, the second notification a duplicate.
    const metrics = await (await fetch(new URL('/metrics', node.url))).text();
    assert.deepEqual(['statements_total{result="reconciled"}', 'statements_total{result="breaks"}', 'credits_total{outcome="minted"}', 'credits_total{outcome="duplicate"}'].map((series) => metric(metrics, `depositum_banking_${series}`)), [1, 0, 1, 1]);
  });

  it('names every break: a credit from an unlinked account, a mint no deposit backs, the balance that does not add up; a rejected payout given back is not one', async () => {
    await bank.waitTaken(await bank.deposit('INITECH-DDA-1200', '1000.00', { endToEndId: 'INITECH-TOKENISE-1' }));
    await bank.waitTaken(await bank.deposit('GLOBEX-DDA-7702', '500.00'));
    await redeem('globex', '200.00', 'RDM-0002');
    await payOut();
    await eventually('the rejected payout given back', async () => (await balance('globex-usd')) === '500.00');
    await desk().submit([{ type: 'issue', account: 'initech-usd', amount: '75.00', depositReference: 'NO-DEPOSIT-1' }], { id: 'direct-mint-1' });
    const statement = await endOfDay();
    assert.equal(statement.reconciled, false);
    assert.deepEqual([statement.creditsInTransit, statement.payoutsInTransit, statement.unexplained], ['1000.00', '0.00', '-75.00']);
    const open = await breaks('open');
    const named = open.filter((b) => b.statement === statement.statement).map((b) => [b.kind, b.subject, b.amount]).sort();
    assert.deepEqual(named, [
      ['balance_difference', `${statement.statement}/closing`, '-75.00'],
      ['unmatched_bank_entry', named.find((n) => n[0] === 'unmatched_bank_entry')![1], '1000.00'],
      ['unmatched_ledger_entry', 'direct-mint-1', '75.00'],
    ]);
    assert.equal(statement.breaks, 3);
    // What is open now, on the node's /metrics: the three breaks by kind, and the credit from the unlinked account in suspense.
    const metrics = await (await fetch(new URL('/metrics', node.url))).text();
    assert.deepEqual(['balance_difference', 'unmatched_bank_entry', 'unmatched_ledger_entry', 'amount_mismatch', 'date_mismatch'].map((kind) => metric(metrics, `depositum_banking_breaks_open{kind="${kind}"}`)), [1, 1, 1, 0, 0]);
    assert.deepEqual(['suspense', 'held'].map((status) => metric(metrics, `depositum_banking_credits_waiting{status="${status}"}`)), [1, 0]);
    const { data } = await client('auditor').events({ types: ['reconciliation_attested'] });
    assert.deepEqual([data.at(-1)!.data['reconciled'], data.at(-1)!.data['breaks']], [false, 3]);
  });

  it('resolves them: the account linked and the credit minted, a credit returned with a pacs.004, a break closed with a note; no deposit is minted twice', async () => {
    const [credit] = (await desk().request<{ data: { entry: string; status: string; reason: string }[] }>('GET', '/v1/banking/credits?status=suspense')).data;
    assert.equal(credit!.reason, 'unlinked_account');
    const early = await ask({ kind: 'retry_credit', entry: credit!.entry });
    assert.equal(early.outcome!['reason'], 'unlinked_account', 'still unlinked: still in suspense');
    await desk().request('POST', '/v1/banking/links', { bankAccount: 'INITECH-DDA-1200', tokenAccount: 'initech-usd' });
    const retried = await ask({ kind: 'retry_credit', entry: credit!.entry });
    assert.equal(retried.outcome!['outcome'], 'minted');
    assert.equal(await balance('initech-usd'), '1075.00');
    const again = await ask({ kind: 'retry_credit', entry: credit!.entry });
    assert.deepEqual([again.status, (again.outcome as { problem: string }).problem], ['failed', `credit ${credit!.entry} is minted, not in suspense`]);
    assert.equal(await balance('initech-usd'), '1075.00', 'not twice');

    // A deposit from a sender the bank cannot place: the desk sends it back with a pacs.004, and the bank books the return.
    await bank.waitTaken(await bank.deposit('HOOLI-DDA-0001', '300.00', { endToEndId: 'HOOLI-1' }));
    const hooli = (await desk().request<{ data: { entry: string; endToEndId: string | null }[] }>('GET', '/v1/banking/credits?status=suspense')).data.find((c) => c.endToEndId === 'HOOLI-1')!;
    const returned = await ask({ kind: 'return_credit', entry: hooli.entry, reason: 'AC01', note: 'no token account for this sender' });
    assert.equal(returned.status, 'done');
    assert.match(String(returned.outcome!['returnId']), /^RTN-[0-9a-f]{31}$/);
    assert.deepEqual((await desk().request<{ data: { endToEndId: string | null }[] }>('GET', '/v1/banking/credits?status=returned')).data.map((c) => c.endToEndId), ['HOOLI-1']);
    assert.deepEqual(await bank.executePayouts(), [], 'a return asks for no status report');
    assert.equal(bank.read().clients['HOOLI-DDA-0001']!.balanceMinor, '10000000', 'the bank gave the money back');
    const refused = await ask({ kind: 'return_credit', entry: hooli.entry, reason: 'AC01' });
    assert.match(String(refused.outcome!['problem']), /is returned, not in suspense/);

    const direct = (await breaks('open')).find((b) => b.kind === 'unmatched_ledger_entry')!;
    const resolved = await desk().request<Break>('POST', '/v1/banking/breaks/resolve', { id: direct.id, note: 'treasury test mint, burnt on 2026-12-07' });
    assert.deepEqual([resolved.status, resolved.resolvedBy], ['resolved', 'first-meridian']);
    await assert.rejects(desk().request('POST', '/v1/banking/breaks/resolve', { id: direct.id, note: 'again' }), (error: DepositumApiError) => error.status === 400 && /resolved already/.test(error.message));
    await assert.rejects(client('acme').request('POST', '/v1/banking/breaks/resolve', { id: direct.id, note: 'mine' }), (error: DepositumApiError) => error.code === 'forbidden');

    // Reconciled again: the credit minted since the cut-off is in transit, no longer a break.
    const first = (await statements())[0]!;
    const rerun = await ask({ kind: 'reconcile', statement: first.statement });
    assert.equal(rerun.status, 'done');
    const after = (await breaks()).filter((b) => b.statement === first.statement);
    assert.deepEqual(after.filter((b) => b.kind === 'unmatched_bank_entry').map((b) => [b.status, b.resolvedBy]), [['resolved', 'reconciliation']]);
    assert.deepEqual((await statements())[0]!.creditsInTransit, '1000.00');
    // The gauges follow: nothing in suspense any more, the breaks open those the desk lists.
    const metrics = await (await fetch(new URL('/metrics', node.url))).text();
    assert.equal(metric(metrics, 'depositum_banking_credits_waiting{status="suspense"}'), 0);
    const open = await breaks('open');
    assert.deepEqual(Object.keys(BREAK_KINDS).map((kind) => metric(metrics, `depositum_banking_breaks_open{kind="${kind}"}`)), Object.keys(BREAK_KINDS).map((kind) => open.filter((b) => b.kind === kind).length));
    assert.ok(open.length < 3, 'two of the three resolved');
  });

  it('the next day: the late mint settles, the returned credit and its return match, the 75.00 minted without a deposit is still a difference, named again', async () => {
    const statement = await endOfDay();
    assert.deepEqual([statement.creditsInTransit, statement.payoutsInTransit, statement.unexplained, statement.reconciled], ['0.00', '0.00', '-75.00', false]);
    const report = await desk().request<{ entries: { side: string; amount: string; matched: boolean }[] }>('GET', `/v1/banking/report?statement=${statement.statement}`);
    assert.deepEqual(report.entries.map((e) => [e.side, e.amount, e.matched]), [['credit', '300.00', true], ['debit', '300.00', true]]);
    assert.ok((await breaks('open')).some((b) => b.id === `balance_difference/${statement.statement}/closing`));
  });

  it("lets an auditor set every attestation against the chain alone: the honest ones agree, a false one is named", async () => {
    const honest = await verifyNode(client('auditor'));
    assert.equal(honest.ok, true);
    assert.deepEqual([honest.attestations.checked, honest.attestations.disagreements], [(await statements()).length + 1, []], 'one per statement, and the rerun of the first');
    // A false one: the issuer attests another supply at the cut-off of the latest statement.
    const latest = (await desk().request<{ data: { cutoffMs: number; supply: string }[] }>('GET', '/v1/banking/statements')).data[0]!;
    await desk().submit([{ type: 'attest_reconciliation', asset: 'usd-fmb', statement: 'FAKE-1', statementHash: '0'.repeat(64), cutoffMs: latest.cutoffMs, statementBalance: '1.00', supply: '1.00', creditsInTransit: '0.00', payoutsInTransit: '0.00', breaks: 1 }]);
    const caught = await verifyNode(client('auditor'));
    assert.equal(caught.ok, false);
    assert.deepEqual(caught.attestations.disagreements, [{ asset: 'usd-fmb', statement: 'FAKE-1', attestedSupply: '1.00', chainSupply: latest.supply }]);
    assert.match(describeVerification(caught), /reconciliation attestations: 1 of \d+ DISAGREE with the chain:\n {2}usd-fmb statement FAKE-1: attested supply 1\.00/);
  });

  it('sets aside a statement sent again with other content and one of another account, with why; nothing is reconciled from them', async () => {
    const before = await statements();
    const latest = before[0];
    const taken = join(settings.inbox!, 'processed');
    const original = readFileSync(join(taken, readdirSync(taken).filter((n) => n.endsWith('camt053.xml')).sort().at(-1)!), 'utf8');
    const drop = (name: string, xml: string) => {
      writeFileSync(join(settings.inbox!, 'in', `.${name}`), xml);
      renameSync(join(settings.inbox!, 'in', `.${name}`), join(settings.inbox!, 'in', name));
    };
    drop('resent-changed.xml', original.replace(/<ElctrncSeqNb>\d+<\/ElctrncSeqNb>/, '<ElctrncSeqNb>999</ElctrncSeqNb>'));
    drop('other-account.xml', original.replace(/<Id>STMT-/, '<Id>OTHER-').replaceAll('FMB-OMNIBUS-USD', 'FMB-OPERATING-USD'));
    await bank.waitTaken([{ file: 'resent-changed.xml', summary: '' }, { file: 'other-account.xml', summary: '' }]);
    assert.match(readFileSync(join(settings.inbox!, 'failed', 'resent-changed.xml.reason'), 'utf8'), new RegExp(`statement ${latest!.statement} was received before with other content`));
    assert.match(readFileSync(join(settings.inbox!, 'failed', 'other-account.xml.reason'), 'utf8'), /reports on no account this module reconciles/);
    assert.deepEqual(await statements(), before);
  });

  it('takes a day the bank states in pages (one message per two entries): kept page by page, reconciled once whole, attested once', async () => {
    for (const amount of ['10.00', '20.00', '30.00']) await bank.waitTaken(await bank.deposit('ACME-DDA-4410', amount));
    const before = (await statements()).length;
    const pages = await bank.endOfDayInPages(2);
    assert.equal(pages.length, 2);
    assert.match(pages[0]!.summary, /page 1 of 2: 2 entries, interim balance/);
    await bank.waitTaken(pages);
    const all = await statements();
    assert.equal(all.length, before + 1, 'one statement of two pages');
    const statement = all[0]! as Statement & { entries: number };
    assert.deepEqual([statement.entries, statement.creditsInTransit, statement.unexplained], [3, '0.00', '-75.00'], 'every credit of both pages matched; only the earlier 75.00 still unexplained');
    const report = await desk().request<{ entries: { amount: string; matched: boolean }[] }>('GET', `/v1/banking/report?statement=${statement.statement}`);
    assert.deepEqual(report.entries.map((e) => [e.amount, e.matched]), [['10.00', true], ['20.00', true], ['30.00', true]]);
    const { data } = await client('auditor').events({ types: ['reconciliation_attested'] });
    assert.equal(data.filter((e) => e.data['statement'] === statement.statement).length, 1);
  });
});
