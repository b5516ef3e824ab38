import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

describe('the console: approvals and conditional payments (who still has to act)', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
    await rig.api('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '3000000.00', depositReference: 'DEP-APPROVALS' }]);
    const policy = await rig.api('acme').submit([{ type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '500000.00' }]);
    assert.equal(policy.status === 'sealed' && policy.receipt.result.status, 'committed');
  });
  after(async () => rig?.close());

  it("a payment above the policy's threshold waits in the treasurer officer's inbox; approved there by clicking, it is paid", async () => {
    const held = await rig.api('acme').submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '750000.00' }]);
    assert.ok(held.status === 'sealed' && held.heldBack !== undefined && held.heldBack.length === 1, 'held back for approval');
    const proposal = held.heldBack[0]!;
    const page = await rig.signIn('acme-treasurer');
    await page.getByRole('tab', { name: 'Approvals' }).click();
    const row = page.getByRole('table', { name: 'proposals' }).getByRole('row').filter({ hasText: proposal });
    await row.getByText(/acme-treasurer/).first().waitFor();
    await screenshot(page, 'treasurer-approvals');
    await assertAccessible(page, 'treasurer-approvals');
    await row.getByRole('button', { name: 'Approve' }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused/), /committed in block \d+/);
    assert.equal((await rig.api('acme').proposal(proposal)).status, 'executed');
    assert.equal((await rig.api('globex').account('globex-usd')).available, '750000.00');
  });

  it("shows a conditional payment's tranches with what each waits for; the approver named approves its tranche by clicking", async () => {
    const created = await rig.api('acme').submit([{
      type: 'conditional_payment', payment: 'po-console', from: 'acme-usd', to: 'globex-usd', amount: '100000.00', deadlineMs: Date.now() + 30 * 86_400_000, autoRelease: true,
      tranches: [
        { tranche: 'signing', amount: '30000.00', approvers: ['globex'] },
        { tranche: 'shipment', amount: '70000.00', attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] },
      ],
    }]);
    assert.equal(created.status === 'sealed' && created.receipt.result.status, 'committed');
    const page = await rig.signIn('globex');
    await page.getByRole('tab', { name: 'Conditional and settlement' }).click();
    const row = page.getByRole('table', { name: 'conditional payments' }).getByRole('row').filter({ hasText: 'po-console' });
    await row.getByText(/shipment: .* waiting for bill_of_lading from oceanic-lines/).waitFor();
    await row.getByText(/signing: .* waiting for 1 approval\(s\) of globex/).waitFor();
    await row.getByRole('button', { name: 'Approve signing' }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused/), /committed/);
    const payment = await rig.api('globex').conditionalPayment('po-console');
    assert.equal(payment.released, '30000.00');
    await row.getByText(/signing: .* released/).waitFor();
    await assertAccessible(page, 'treasurer-conditional');
  });
});
