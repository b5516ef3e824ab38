import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { complianceModule } from '../../../src/modules/compliance/index.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { tempDir } from '../../helpers.js';

process.env['DEPOSITUM_CHECK_RESPONSES'] = '1';

const OFAC = new URL('../../../../shared/data/sanctions/ofac', import.meta.url).pathname;
const ACME_TO_GLOBEX = JSON.parse(readFileSync(new URL('../../../docs/examples/travel-rule-acme-globex.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('the Travel Rule: IVMS101 data beside cross-border payments', () => {
  const dir = tempDir();
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load(participant) });
  const pay = (amount: string, extra: Record<string, string> = {}, to = 'globex-usd') => client('acme').submit([{ type: 'transfer', from: 'acme-usd', to, amount, ...extra }]);
  const send = (payload: unknown, as = 'acme') => client(as).request<{ hash: string }>('POST', '/v1/compliance/travel-rule', { payload });
  const refusedWith = (code: string) => (error: DepositumApiError) => error.code === code;

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [complianceModule({ lists: [OFAC] })], moduleRunner: { pollMs: 20 } });
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'DEP-TR' }]);
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('is off until compliance switches it on for a jurisdiction; then a cross-border payment at the threshold without data is refused at admission', async () => {
    const before = await pay('5000.00');
    assert.equal(before.status === 'sealed' && before.receipt.result.status, 'committed');
    await client('compliance').submit([{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD' }]);
    await assert.rejects(pay('1000.00'), refusedWith('travel_rule_required'));
    const below = await pay('999.99');
    assert.equal(below.status === 'sealed' && below.receipt.result.status, 'committed');
    const notCompliance = await client('acme').submit([{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD', amount: '1.00' }]);
    assert.deepEqual(notCompliance.status === 'sealed' && notCompliance.receipt.result, { status: 'rejected', code: 'not_authorized', operation: 0 });
  });

  it('validates the data against IVMS101.2023, and the payment must name data sent for its own two accounts', async () => {
    const noAddress = structuredClone(ACME_TO_GLOBEX) as { originator: { originatorPerson: { legalPerson: Record<string, unknown> }[] } };
    delete noAddress.originator.originatorPerson[0]!.legalPerson['geographicAddress'];
    delete noAddress.originator.originatorPerson[0]!.legalPerson['nationalIdentification'];
    await assert.rejects(send(noAddress), (error: DepositumApiError) => error.status === 400 && /not valid IVMS101\.2023: .*C4 OriginatorInformationLegalPerson/.test(error.message));
    await assert.rejects(send({ originator: {} }), (error: DepositumApiError) => error.status === 400);
    await assert.rejects(pay('2500.00', { travelRule: 'ab'.repeat(32) }), refusedWith('travel_rule_invalid'));
    const { hash } = await send(ACME_TO_GLOBEX);
    assert.equal((await send(ACME_TO_GLOBEX)).hash, hash, 'the same data, the same hash');
    await assert.rejects(pay('2500.00', { travelRule: hash }, 'initech-usd'), refusedWith('travel_rule_invalid'));
    const paid = await pay('2500.00', { travelRule: hash });
    assert.equal(paid.status === 'sealed' && paid.receipt.result.status, 'committed');
  });

  it('screens the persons the data names: a listed beneficiary refuses the data, and the screening is kept for compliance', async () => {
    const listed = structuredClone(ACME_TO_GLOBEX) as { beneficiary: { beneficiaryPerson: { legalPerson: { name: { nameIdentifier: { legalPersonName: string }[] } } }[] } };
    listed.beneficiary.beneficiaryPerson[0]!.legalPerson.name.nameIdentifier[0]!.legalPersonName = 'Banco Nacional de Cuba';
    await assert.rejects(send(listed), refusedWith('sanctions_hit'));
    const { data } = await client('compliance').request<{ data: { id: string; cause: string; legalName: string; outcome: string }[] }>('GET', '/v1/compliance/screenings?participant=acme');
    const refusals = data.filter((s) => s.cause.startsWith('travel_rule'));
    assert.deepEqual(refusals.map((s) => [s.cause, s.legalName, s.outcome]), [['travel_rule:beneficiary', 'Banco Nacional de Cuba', 'block']]);
    // Compliance finds the hit false (say, a namesake): the same data from the same institution then goes through.
    await client('compliance').request('POST', `/v1/compliance/screenings/${refusals[0]!.id}/decision`, { decision: 'cleared', note: 'a namesake: different registration, different country' });
    assert.match((await send(listed)).hash, /^[0-9a-f]{64}$/);
  });

  it('keeps the data off the chain (only its hash is in the transaction), shown to the two institutions, compliance and auditors alone', async () => {
    const { hash } = await send(ACME_TO_GLOBEX);
    const paid = await pay('3000.00', { travelRule: hash });
    assert.ok(paid.status === 'sealed');
    const recorded = await client('auditor').transaction(paid.receipt.transaction);
    assert.deepEqual(Object.keys(recorded.envelope!.body.operations[0]!).sort(), ['amount', 'from', 'to', 'travelRule', 'type']);
    assert.doesNotMatch(JSON.stringify(recorded), /Acme Logistics|West Adams/);
    for (const who of ['acme', 'globex', 'compliance', 'auditor']) {
      const seen = await client(who).request<{ payload: { beneficiary: { accountNumber: string[] } }; originator: string; beneficiary: string }>('GET', `/v1/compliance/travel-rule/${hash}`);
      assert.deepEqual(seen.payload.beneficiary.accountNumber, ['globex-usd'], who);
      assert.deepEqual([seen.originator, seen.beneficiary], ['acme', 'globex']);
    }
    for (const who of ['initech', 'notifier']) await assert.rejects(client(who).request('GET', `/v1/compliance/travel-rule/${hash}`), (error: DepositumApiError) => error.status === 404, who);
  });
});
