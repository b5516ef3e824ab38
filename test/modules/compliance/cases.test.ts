import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { complianceModule } from '../../../src/modules/compliance/index.js';
import { DEMO_REPORTING } from '../../../src/modules/compliance/settings.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';

process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

const OFAC = new URL('../../../../shared/data/sanctions/ofac', import.meta.url).pathname;

interface Alert { id: string; rule: string; subject: string; detail: string; status: string; caseId: string | null; evidence: { payments: { position: string; amount: string }[]; path?: string[] } }
interface Case { id: string; status: string; assignee: string | null; actionStatus: string; actionTransaction: string | null }

describe('the compliance module: monitoring, alerts and cases', () => {
  const dir = tempDir();
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load(participant) });
  const pay = (who: string, to: string, amount: string) => client(who).submit([{ type: 'transfer', from: `${who}-usd`, to, amount }]);
  const alerts = async (query = '') => (await client('compliance').request<{ data: Alert[] }>('GET', `/v1/compliance/alerts?limit=500${query}`)).data;

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [complianceModule({ lists: [OFAC], reporting: DEMO_REPORTING })], moduleRunner: { pollMs: 20 } });
    for (const holder of ['acme', 'globex', 'initech']) await client('first-meridian').submit([{ type: 'issue', account: `${holder}-usd`, amount: '100000.00', depositReference: `DEP-${holder}` }]);
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('raises a structuring alert and a cycle alert from the payments on the ledger, each once, with its evidence', async () => {
    for (const amount of ['9500.00', '9400.00', '9800.00']) await pay('acme', 'globex-usd', amount);
    // Round trip: most of a payment comes back through two other accounts.
    await pay('acme', 'globex-usd', '5000.00');
    await pay('globex', 'initech-usd', '4900.00');
    await pay('initech', 'acme-usd', '4800.00');
    const raised = await eventually('both alerts', async () => {
      const all = await alerts();
      return all.some((a) => a.rule === 'structuring') && all.some((a) => a.rule === 'cycle') ? all : null;
    });
    const structuring = raised.filter((a) => a.rule === 'structuring');
    assert.equal(structuring.length, 1);
    assert.equal(structuring[0]!.subject, 'acme-usd');
    assert.deepEqual(structuring[0]!.evidence.payments.map((p) => p.amount), ['950000', '940000', '980000']);
    const cycle = raised.find((a) => a.rule === 'cycle')!;
    assert.deepEqual(cycle.evidence.path, ['acme-usd', 'globex-usd', 'initech-usd', 'acme-usd']);
    // Clients see none of it.
    await assert.rejects(client('acme').request('GET', '/v1/compliance/alerts'), (error: DepositumApiError) => error.code === 'forbidden');
  });

  it('works a case to a decision: open on alerts, comment, attach, escalate; confirm and freeze the account on the ledger, once', async () => {
    const open = (await alerts('&status=open')).filter((a) => a.rule === 'structuring' || a.rule === 'cycle');
    const opened = await client('compliance').request<Case>('POST', '/v1/compliance/cases', { alerts: open.map((a) => a.id), note: 'structuring toward Globex, then a round trip' });
    assert.equal(opened.status, 'open');
    assert.equal(opened.assignee, 'compliance');
    await assert.rejects(client('compliance').request('POST', '/v1/compliance/cases', { alerts: [open[0]!.id] }), (error: DepositumApiError) => error.status === 400, 'an alert is in one case');
    await client('compliance').request('POST', `/v1/compliance/cases/${opened.id}/notes`, { kind: 'attachment', text: 'KYC file', fileName: 'acme-kyc.pdf', sha256: 'ab'.repeat(32) });
    await client('compliance').request('POST', `/v1/compliance/cases/${opened.id}/notes`, { kind: 'escalation', text: 'to the MLRO' });
    await assert.rejects(client('auditor').request('POST', `/v1/compliance/cases/${opened.id}/notes`, { kind: 'comment', text: 'x' }), (error: DepositumApiError) => error.code === 'forbidden');
    const decided = await client('compliance').request<Case>('POST', `/v1/compliance/cases/${opened.id}/decision`, { decision: 'confirmed', note: 'suspicious: file an STR', action: { freeze: 'acme-usd' } });
    assert.equal(decided.status, 'confirmed');
    const done = await eventually('the freeze carried out', async () => {
      const detail = await client('auditor').request<{ case: Case; alerts: Alert[]; notes: { kind: string }[] }>('GET', `/v1/compliance/cases/${opened.id}`);
      return detail.case.actionStatus === 'done' ? detail : null;
    });
    assert.deepEqual(done.notes.map((n) => n.kind), ['comment', 'attachment', 'escalation', 'decision']);
    assert.equal((await client('auditor').account('acme-usd') as unknown as { frozen: boolean }).frozen, true);
    const refused = await pay('acme', 'globex-usd', '1.00');
    assert.deepEqual(refused.status === 'sealed' && refused.receipt.result, { status: 'rejected', code: 'account_frozen', operation: 0 });
    await assert.rejects(client('compliance').request('POST', `/v1/compliance/cases/${opened.id}/decision`, { decision: 'false_positive', note: 'again' }), (error: DepositumApiError) => error.status === 400);
  });

  it('files a suspicious transaction report on the confirmed case: goAML XML in the schema\'s order, its hash on the ledger, seen by the auditor, not by the client', async () => {
    const [confirmed] = (await client('compliance').request<{ data: Case[] }>('GET', '/v1/compliance/cases?status=confirmed')).data;
    const requested = await client('compliance').request<{ id: string; status: string }>('POST', `/v1/compliance/cases/${confirmed!.id}/report`, { reason: 'Three payments just under USD 10,000 within hours, then funds round-tripped through two accounts', action: 'Account frozen; relationship under review' });
    assert.equal(requested.status, 'due');
    await assert.rejects(client('compliance').request('POST', `/v1/compliance/cases/${confirmed!.id}/report`, { reason: 'again', action: 'again' }), (error: DepositumApiError) => error.status === 400, 'one report per case');
    const filed = await eventually('the report filed', async () => {
      const detail = await client('auditor').request<{ report: { status: string; sha256: string; transaction: string }; document: string }>('GET', `/v1/compliance/reports/${requested.id}`);
      return detail.report.status === 'filed' ? detail : null;
    });
    assert.equal(createHash('sha256').update(filed.document).digest('hex'), filed.report.sha256);
    const schema = XsdValidator.fromDoc(XmlDocument.fromString(readFileSync(new URL('fixtures/goaml-str-subset.xsd', import.meta.url), 'utf8')));
    const document = XmlDocument.fromString(filed.document);
    try {
      schema.validate(document);
    } finally {
      document.dispose();
      schema.dispose();
    }
    assert.match(filed.document, /<report_code>STR<\/report_code>/);
    assert.match(filed.document, /<t_from_my_client>\s*<from_funds_code>K<\/from_funds_code>\s*<from_account>\s*<institution_name>First Meridian Bank, N.A.<\/institution_name>/);
    assert.match(filed.document, /<name>Acme Logistics Inc.<\/name>/);
    assert.equal((filed.document.match(/<transaction>/g) ?? []).length, 6, 'the three structured payments and the round trip');
    // The ledger has the report's hash; the chain tells an examiner what was filed and when.
    const events = await client('auditor').events({ types: ['report_filed'] });
    const recorded = events.data.find((e) => e.data['report'] === requested.id)!;
    assert.equal(recorded.data['documentHash'], filed.report.sha256);
    const clientView = await client('acme').events({ types: ['report_filed'] });
    assert.equal(clientView.data.length, 0, 'a report\'s subject is never told');
  });

  it('files a day\'s threshold report: every payment at or above its currency\'s threshold, as CSV', async () => {
    await pay('globex', 'initech-usd', '12000.00');
    const today = new Date().toISOString().slice(0, 10);
    await eventually('the large payment monitored', async () => (await alerts('&rule=large_transaction')).length > 0 ? true : null);
    const requested = await client('compliance').request<{ id: string }>('POST', '/v1/compliance/reports/threshold', { day: today });
    const filed = await eventually('filed', async () => {
      const detail = await client('compliance').request<{ report: { status: string }; document: string }>('GET', `/v1/compliance/reports/${requested.id}`);
      return detail.report.status === 'filed' ? detail : null;
    });
    const lines = filed.document.trim().split('\n');
    assert.equal(lines[0], 'date_time,transaction,position,from_account,to_account,currency,amount,threshold');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /,globex-usd,initech-usd,USD,12000.00,10000.00$/);
    await assert.rejects(client('compliance').request('POST', '/v1/compliance/reports/threshold', { day: today }), (error: DepositumApiError) => error.status === 400);
  });

  it('rebuilds its windows after a restart: a pattern spanning the restart is still seen', async () => {
    const monitored = async () => (await client('compliance').request<{ payments: number }>('GET', '/v1/compliance/monitoring')).payments;
    const seen = await monitored();
    await pay('globex', 'initech-usd', '9100.00');
    await pay('globex', 'initech-usd', '9200.00');
    await eventually('both payments recorded before the restart', async () => (await monitored()) === seen + 2);
    const before = (await alerts('&rule=structuring')).length;
    await node.close();
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [complianceModule({ lists: [OFAC], reporting: DEMO_REPORTING })], moduleRunner: { pollMs: 20 } });
    await pay('globex', 'initech-usd', '9300.00');
    const after = await eventually('the third payment closes the pattern', async () => {
      const found = (await alerts('&rule=structuring')).filter((a) => a.subject === 'globex-usd');
      return found.length > 0 ? found : null;
    });
    assert.equal(after.length, 1);
    assert.equal((await alerts('&rule=structuring')).length, before + 1);
  });
});
