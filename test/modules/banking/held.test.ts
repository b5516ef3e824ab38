import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bankingModule } from '../../../src/modules/banking/index.js';
import type { BankingSettings } from '../../../src/modules/banking/settings.js';
import { BankCore } from '../../../src/modules/banking/sim/core.js';
import { openModuleDatabase } from '../../../src/modules/kit/database.js';
import { paths } from '../../../src/node/data-dir.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';

const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;

interface Credit { entry: string; status: string; reason: string | null; detail: string | null; transactionId: string | null; amount: string }

/**
 * The bank puts its module's mints under dual control (a second officer approves each
 * issue): a deposit waits, held, and is minted only when the officer approves; one the
 * officer rejects is set aside, and minted on retry once approved. The day still reconciles.
 */
describe('the banking module under dual control of its mints', () => {
  const dir = tempDir();
  const settings: BankingSettings = { omnibusAccount: 'FMB-OMNIBUS-USD', asset: 'usd-fmb', inbox: join(dir.path, 'bank-link'), xsdDirectory: XSD_DIR, staff: ['first-meridian'] };
  const bank = new BankCore(settings.inbox!);
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(join(dir.path, 'data')).load(participant) });
  const desk = () => client('first-meridian');
  const balance = async () => (await client('auditor').account('acme-usd')).available;
  const credits = async () => (await desk().request<{ data: Credit[] }>('GET', '/v1/banking/credits?limit=100')).data;
  const credit = async (amount: string) => (await credits()).find((c) => c.amount === amount)!;
  const proposalOf = (c: Credit) => /proposal (proposal-\d+)/.exec(c.detail ?? '')?.[1];

  before(async () => {
    node = await runNode({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [bankingModule(settings)], moduleRunner: { pollMs: 20 } });
    const supply = (await client('auditor').asset('usd-fmb')).supply;
    bank.open({ omnibus: { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' }, decimals: 2, balance: supply, clients: { 'ACME-DDA-4410': { name: 'Acme Logistics Inc.', balance: '5000000.00' } } });
    await desk().request('POST', '/v1/banking/links', { bankAccount: 'ACME-DDA-4410', tokenAccount: 'acme-usd', holder: { name: 'Acme Logistics Inc.', town: 'Chicago', country: 'US', agentBic: 'FMBKUS33' } });
    await client('banking').submit([{ type: 'set_control_policy', approvers: ['first-meridian'], approvalsRequired: 1, acts: ['issue'] }]);
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('mints each deposit only when the second officer approves its own proposal, under the approving transaction', async () => {
    const opening = await balance();
    await bank.waitTaken([...await bank.deposit('ACME-DDA-4410', '50.00'), ...await bank.deposit('ACME-DDA-4410', '250000.00')]);
    const small = await credit('50.00');
    const large = await credit('250000.00');
    assert.deepEqual([small.status, large.status], ['held', 'held'], 'not minted: each mint waits in a proposal');
    assert.notEqual(proposalOf(small), proposalOf(large));
    assert.equal(await balance(), opening);
    const approval = await desk().submit([{ type: 'approve_proposal', proposal: proposalOf(large)! }]);
    assert.equal(approval.status === 'sealed' && approval.receipt.result.status, 'committed');
    const minted = await eventually('the approved credit minted', async () => { const now = await credit('250000.00'); return now.status === 'minted' ? now : null; });
    assert.notEqual(minted.transactionId, large.transactionId, 'minted by the approving transaction');
    assert.equal(Number(await balance()) - Number(opening), 250_000);
    assert.equal((await credit('50.00')).status, 'held', 'the other still waits');
    await desk().submit([{ type: 'approve_proposal', proposal: proposalOf(small)! }]);
    await eventually('the other minted on its approval', async () => (await credit('50.00')).status === 'minted');
    assert.equal(Number(await balance()) - Number(opening), 250_050);
  });

  it('sets aside a deposit whose mint the officer rejects, and mints it once on retry when approved', async () => {
    const opening = await balance();
    await bank.waitTaken(await bank.deposit('ACME-DDA-4410', '300000.00'));
    const held = await credit('300000.00');
    assert.equal(held.status, 'held');
    await desk().submit([{ type: 'reject_proposal', proposal: proposalOf(held)! }]);
    const refused = await eventually('the credit set aside', async () => { const now = await credit('300000.00'); return now.status === 'suspense' ? now : null; });
    assert.equal(refused.reason, 'refused');
    assert.match(refused.detail!, /the mint's approval was rejected by first-meridian/);
    assert.equal(await balance(), opening);
    // Retried: held again, in a new proposal (its first transaction committed without minting it: not taken as minted).
    const retry = await desk().request<{ id: string }>('POST', '/v1/banking/requests', { kind: 'retry_credit', entry: refused.entry });
    const done = await eventually('the retry carried out', async () => {
      const now = await desk().request<{ status: string; outcome: { outcome: string; proposal?: string } | null }>('GET', `/v1/banking/requests/${retry.id}`);
      return now.status === 'pending' ? null : now;
    });
    assert.equal(done.outcome?.outcome, 'held');
    await desk().submit([{ type: 'approve_proposal', proposal: done.outcome.proposal! }]);
    await eventually('minted on approval', async () => (await credit('300000.00')).status === 'minted');
    assert.equal(Number(await balance()) - Number(opening), 300_000);
    // Every deposit is in the supply once: the day reconciles.
    const sent = await bank.endOfDay();
    await bank.waitTaken([sent]);
    const [statement] = (await desk().request<{ data: { reconciled: boolean; breaks: number; unexplained: string }[] }>('GET', '/v1/banking/statements')).data;
    assert.deepEqual([statement?.reconciled, statement?.breaks, statement?.unexplained], [true, 0, '0.00']);
  });

  it('finds a held mint on the feed when it stopped before recording the ledger\'s answer (the feed read again from the start)', async () => {
    await bank.waitTaken(await bank.deposit('ACME-DDA-4410', '70.00'));
    const held = await credit('70.00');
    const proposal = proposalOf(held)!;
    // As if stopped between the ledger's answer and the record: the credit still minting; the feed read again.
    const db = openModuleDatabase({ sqlite: paths(join(dir.path, 'data')).ledger });
    try {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('banking_credits').set({ status: 'minting', proposal_id: null, detail: null }).where('entry_key', '=', held.entry).execute();
        await trx.deleteFrom('kit_offsets').where('module', '=', 'banking').execute();
      });
    } finally {
      await db.destroy();
    }
    const again = await eventually('held again, from the feed', async () => { const now = await credit('70.00'); return now.status === 'held' ? now : null; });
    assert.equal(proposalOf(again), proposal);
    const opening = await balance();
    await desk().submit([{ type: 'approve_proposal', proposal }]);
    await eventually('minted on approval', async () => (await credit('70.00')).status === 'minted');
    assert.equal(Number(await balance()) - Number(opening), 70);
  });

  it('pages through the credits, oldest first, each once, after the last entry of the page before', async () => {
    const all = await credits();
    assert.ok(all.length >= 4);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await desk().request<{ data: Credit[]; has_more: boolean }>('GET', `/v1/banking/credits?limit=2${after === undefined ? '' : `&starting_after=${encodeURIComponent(after)}`}`);
      seen.push(...page.data.map((c) => c.entry));
      if (!page.has_more) break;
      after = page.data.at(-1)!.entry;
    }
    assert.deepEqual(seen, all.map((c) => c.entry));
    await assert.rejects(desk().request('GET', '/v1/banking/credits?starting_after=NO-SUCH-ENTRY'), (error: unknown) => error instanceof DepositumApiError && error.status === 400 && error.code === 'invalid_request');
  });
});
