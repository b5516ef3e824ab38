import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

describe('the console: operator and issuer', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
  });
  after(async () => rig?.close());

  it('the operator freezes an account by clicking: the ledger refuses its payments; unfreezing lets them through again', async () => {
    await rig.api('first-meridian').submit([{ type: 'issue', account: 'initech-usd', amount: '300.00', depositReference: 'DEP-OPERATOR' }]);
    const page = await rig.signIn('operator');
    await page.getByRole('link', { name: 'Operator and issuer' }).click();
    await waitForText(page, 'supply-usd-fmb', /\$300\.00/);
    await page.getByLabel('Account to freeze or unfreeze').fill('initech-usd');
    await page.getByRole('button', { name: 'Freeze', exact: true }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused|held/), /committed in block \d+/);
    assert.equal((await rig.api('initech').account('initech-usd')).frozen, true);
    const refused = await rig.api('initech').submit([{ type: 'transfer', from: 'initech-usd', to: 'acme-usd', amount: '1.00' }]);
    assert.equal(refused.status === 'sealed' && refused.receipt.result.status, 'rejected');
    await screenshot(page, 'operator');
    await assertAccessible(page, 'operator');

    await page.getByRole('button', { name: 'Unfreeze', exact: true }).click();
    await page.getByTestId('outcome').filter({ hasText: /committed in block/ }).waitFor();
    assert.equal((await rig.api('initech').account('initech-usd')).frozen, false);
  });

  it("a client cannot do what the operator does: freezing another client's account by the same clicks is refused with the API's reason", async () => {
    const page = await rig.signIn('acme');
    await page.goto(`${rig.node.url}/console/#/operator`);
    // The screen is not offered to a client; opened by its address, the ledger still decides.
    await page.getByRole('heading', { name: 'Treasurer' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Operator and issuer' }).count(), 0);
    const attempt = await rig.api('acme').submit([{ type: 'freeze_account', account: 'globex-usd' }]).catch((error: Error) => error);
    assert.ok(attempt instanceof Error || (attempt.status === 'sealed' && attempt.receipt.result.status === 'rejected'));
    assert.equal((await rig.api('globex').account('globex-usd')).frozen, false);
  });

  it("shows the banking desk's suspense, breaks and statements to the bank's staff", async () => {
    const page = await rig.signIn('first-meridian');
    await page.getByRole('link', { name: 'Operator and issuer' }).click();
    await page.getByRole('tab', { name: 'Banking: suspense and reconciliation' }).click();
    await page.getByRole('heading', { name: 'Credits in suspense' }).waitFor();
    await page.getByText('No statement received yet.').waitFor();
    await assertAccessible(page, 'operator-banking');
  });
});
