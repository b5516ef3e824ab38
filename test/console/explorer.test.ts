import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Receipt } from '../../src/sdk/index.js';
import { assertAccessible, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

describe('the console: explorer (every role, auditor first), and what one client may see of another', () => {
  let rig: ConsoleRig;
  let payment: Receipt;
  let mint: Receipt;
  before(async () => {
    rig = await startConsoleRig();
    const minted = await rig.api('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '5000.00', depositReference: 'DEP-EXPLORER' }]);
    assert.ok(minted.status === 'sealed');
    mint = minted.receipt;
    const paid = await rig.api('acme').submit([
      { type: 'transfer', from: 'acme-usd', to: 'initech-usd', amount: '1200.00' },
    ], { reference: 'INV-EXPLORER-1' });
    assert.ok(paid.status === 'sealed');
    payment = paid.receipt;
  });
  after(async () => rig?.close());

  it("an auditor opens a block and a transaction and verifies its receipt in the browser against the validator key; a forged receipt does not verify", async () => {
    const page = await rig.signIn('auditor');
    await page.getByRole('link', { name: 'Explorer' }).click();
    await waitForText(page, 'chain-height', new RegExp(`^(${payment.block.header.height}|[1-9]\\d*)$`));
    await page.getByRole('button', { name: String(payment.block.header.height), exact: true }).click();
    await page.getByRole('heading', { name: `Block ${payment.block.header.height}` }).waitFor();
    await page.getByRole('button', { name: `${payment.transaction.slice(0, 12)}…` }).click();
    await page.getByRole('button', { name: 'Verify the receipt in this browser' }).click();
    assert.match(await waitForText(page, 'proof-check', /erified/), new RegExp(`Verified in your browser.*block ${payment.block.header.height}`));
    await screenshot(page, 'explorer');
    await assertAccessible(page, 'explorer');

    // The node's answer changed on the way (another transaction, read afresh): the browser's own check catches it.
    await page.route('**/receipt', async (route) => {
      const answer = await route.fetch();
      const receipt = await answer.json() as Receipt;
      await route.fulfill({ response: answer, json: { ...receipt, result: { status: 'rejected', code: 'insufficient_funds', operation: 0 } } });
    });
    await page.evaluate((hash) => { (globalThis as unknown as { location: { hash: string } }).location.hash = `#/explorer/transactions/${hash}`; }, mint.transaction);
    await page.getByRole('heading', { name: `Transaction ${mint.transaction.slice(0, 12)}…` }).waitFor();
    await page.getByRole('button', { name: 'Verify the receipt in this browser' }).click();
    assert.match(await waitForText(page, 'proof-check', /erified/), /^Not verified/);
  });

  it("a client sees its own accounts and transactions only: another client's stay hidden on screen, as the API hides them", async () => {
    const page = await rig.signIn('globex');
    await page.getByRole('link', { name: 'Treasurer' }).click();
    await page.getByTestId('available-globex-usd').waitFor();
    assert.equal(await page.getByTestId('available-acme-usd').count(), 0);
    await page.goto(`${rig.node.url}/console/#/explorer/blocks/${payment.block.header.height}`);
    await page.getByRole('heading', { name: `Block ${payment.block.header.height}` }).waitFor();
    await page.getByText('Only your own transactions of this block are shown.').waitFor();
    assert.equal(await page.getByRole('button', { name: `${payment.transaction.slice(0, 12)}…` }).count(), 0);
    await page.goto(`${rig.node.url}/console/#/explorer/transactions/${payment.transaction}`);
    await page.getByText(/The node refused/).waitFor();
    await assert.rejects(rig.api('globex').account('acme-usd'), /does not belong to globex/);
  });
});
