import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { apiFixture, type ApiFixture } from './fixture.js';

describe('maker-checker through the API', () => {
  let f: ApiFixture;
  const submit = async (signers: string | string[], operations: unknown[]) => {
    const sender = Array.isArray(signers) ? signers[0]! : signers;
    const response = await f.call(sender, 'POST', '/v1/transactions', await f.envelope(signers, operations as never));
    return response.json;
  };
  before(async () => {
    f = await apiFixture();
    await f.t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-P' }]);
    const set = await submit('acme', [{ type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '500.00', dailyLimit: '900.00' }]);
    assert.deepEqual(set.receipt.result, { status: 'committed' }, JSON.stringify(set));
    const held = await submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '750.00' }]);
    assert.deepEqual(held.receipt.result, { status: 'committed' });
    assert.deepEqual(held.heldBack, ['proposal-1'], 'the answer names the proposal it waits as');
  });
  after(() => f.close());

  it('shows the policy to whoever sees the account, with what it spent today', async () => {
    const { status, json } = await f.call('acme', 'GET', '/v1/accounts/acme-usd/policy');
    assert.equal(status, 200);
    assert.deepEqual(json, { account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '500.00', perPaymentLimit: null, dailyLimit: '900.00', counterparties: null, approvalWindowMs: 86_400_000, spentToday: '0.00' });
    assert.equal((await f.call('globex', 'GET', '/v1/accounts/acme-usd/policy')).status, 403);
    const none = await f.call('globex', 'GET', '/v1/accounts/globex-usd/policy');
    assert.deepEqual([none.status, none.json.error.code], [404, 'policy_not_found']);
  });

  it("lists what waits for the treasurer's approval, and keeps it from the payee", async () => {
    const { json } = await f.call('acme-treasurer', 'GET', '/v1/proposals?status=pending');
    assert.equal(json.data.length, 1);
    const [proposal] = json.data;
    assert.deepEqual([proposal.id, proposal.proposer, proposal.described], ['proposal-1', 'acme', ['pay 750.00 from acme-usd to globex-usd']]);
    assert.deepEqual(proposal.waitingFor, ['1 more of acme-treasurer (account acme-usd)']);
    assert.deepEqual((await f.call('globex', 'GET', '/v1/proposals')).json.data, []);
    assert.equal((await f.call('globex', 'GET', '/v1/proposals/proposal-1')).status, 403);
    assert.equal((await f.call('auditor', 'GET', '/v1/proposals/proposal-1')).status, 200);
    const bad = await f.call('acme', 'GET', '/v1/proposals?status=sleeping');
    assert.deepEqual([bad.status, bad.json.error.code], [400, 'invalid_request']);
  });

  it("refuses the maker's approval (it is not named), and pays on the treasurer's", async () => {
    const own = await submit('acme', [{ type: 'approve_proposal', proposal: 'proposal-1' }]);
    assert.deepEqual(own.receipt.result, { status: 'rejected', code: 'not_an_approver', operation: 0 });
    assert.match(own.explanations[0].message, /acme is not an approver of proposal proposal-1 \(its approvers: acme-treasurer\)/);
    assert.equal(f.t.ledger.state.accounts.get('acme-usd')!.availableMinor, 100_000n);
    const approved = await submit('acme-treasurer', [{ type: 'approve_proposal', proposal: 'proposal-1' }]);
    assert.deepEqual(approved.receipt.result, { status: 'committed' });
    assert.equal(f.t.ledger.state.accounts.get('globex-usd')!.availableMinor, 75_000n);
    const { json } = await f.call('acme', 'GET', '/v1/proposals/proposal-1');
    assert.deepEqual([json.status, json.approvals, json.waitingFor], ['executed', ['acme-treasurer'], []]);
    assert.equal((await f.call('acme', 'GET', '/v1/accounts/acme-usd/policy')).json.spentToday, '750.00');
  });

  it('refuses a payment past the daily limit at once, saying what was spent', async () => {
    const refused = await submit('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '200.00' }]);
    assert.deepEqual(refused.receipt.result, { status: 'rejected', code: 'daily_limit_exceeded', operation: 0 });
    assert.match(refused.explanations[0].message, /may pay 900\.00 a day \(its policy\) and paid 750\.00 today/);
  });
});
