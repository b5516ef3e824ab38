import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, choose, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

describe('the console: treasurer', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
    const minted = await rig.api('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '1000000.00', depositReference: 'DEP-CONSOLE-1' }]);
    assert.equal(minted.status === 'sealed' && minted.receipt.result.status, 'committed');
  });
  after(async () => rig?.close());

  it('shows balances by account, formatted by currency; a payment made by clicking, with the payee confirmed while typing, moves the money on screen and on the ledger', async () => {
    const page = await rig.signIn('acme');
    await waitForText(page, 'available-acme-usd', /\$1,000,000\.00/);
    await choose(page, 'From', 'acme-usd');
    await page.getByLabel('To account').fill('globex-usd');
    await page.getByLabel('Payee name (checked against the account)').fill('Globex Trading Pte. Ltd.');
    assert.match(await waitForText(page, 'payee-check', /match/), /^match$/);
    await page.getByLabel('Payee name (checked against the account)').fill('Globex Tradng');
    assert.match(await waitForText(page, 'payee-check', /close match/), /registered as Globex Trading Pte\. Ltd\./);
    await page.getByLabel('Amount').fill('250000.00');
    await page.getByLabel('Reference').fill('INV-CONSOLE-1');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused/), /committed in block \d+/);
    await waitForText(page, 'available-acme-usd', /\$750,000\.00/);
    assert.equal((await rig.api('acme').account('acme-usd')).available, '750000.00');
    assert.equal((await rig.api('globex').account('globex-usd')).available, '250000.00');
    await screenshot(page, 'treasurer');
    await assertAccessible(page, 'treasurer');
  });

  it("a bad amount gets the API's message and moves nothing", async () => {
    const before = (await rig.api('acme').account('acme-usd')).available;
    const page = await rig.signIn('acme');
    await choose(page, 'From', 'acme-usd');
    await page.getByLabel('To account').fill('globex-usd');
    await page.getByLabel('Amount').fill('12.345');
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const outcome = await waitForText(page, 'outcome', /refused/);
    assert.match(outcome, /amount/i);
    assert.equal((await rig.api('acme').account('acme-usd')).available, before);
  });
});
