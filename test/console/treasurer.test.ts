import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, choose, chooseFile, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

describe('the console: treasurer', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
    const minted = await rig.api('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '1000000.00', depositReference: 'DEP-CONSOLE-1' }]);
    assert.equal(minted.status === 'sealed' && minted.receipt.result.status, 'committed');
    const opened = await rig.api('operator').submit([{ type: 'open_account', account: 'acme-reserve', owner: 'acme', asset: 'usd-fmb' }]);
    assert.equal(opened.status === 'sealed' && opened.receipt.result.status, 'committed');
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

  it('places a hold and posts part of it by clicking: the payee gets that part, the rest returns', async () => {
    const page = await rig.signIn('acme');
    await page.getByRole('tab', { name: 'Holds' }).click();
    await page.getByLabel('Hold id').fill('delivery-console');
    await choose(page, 'From', 'acme-usd');
    await page.getByLabel('For (payee account)').fill('globex-usd');
    await page.getByLabel('Amount', { exact: true }).fill('10000.00');
    await page.getByRole('button', { name: 'Place hold' }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused/), /committed/);
    await page.getByLabel('Amount to post of delivery-console').fill('6000.00');
    await page.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByRole('row').filter({ hasText: 'delivery-console' }).getByText('posted').waitFor();
    const hold = await rig.api('acme').hold('delivery-console');
    assert.equal(hold.status, 'posted');
    assert.equal(hold.posted, '6000.00');
  });

  it('simulates a month-end sweep over the days ahead by clicking, as the API simulates it, then saves it', async () => {
    const page = await rig.signIn('acme');
    await page.getByRole('tab', { name: 'Standing instructions' }).click();
    await page.getByLabel('Instruction id').fill('month-end');
    await page.getByLabel('From account').fill('acme-usd');
    await page.getByLabel('To account').fill('acme-reserve');
    await page.getByLabel('Keep (sweep)').fill('250000.00');
    await page.getByLabel('Time zone').fill('America/New_York');
    assert.equal(await page.getByRole('button', { name: 'Save instruction' }).isDisabled(), true, 'saving waits for a simulation');
    await page.getByRole('button', { name: 'Simulate', exact: true }).click();
    const simulated = await waitForText(page, 'simulation', /Simulation/);
    const rrule = 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0';
    const expected = await rig.api('acme').simulate([{ type: 'set_standing_instruction', instruction: 'month-end', kind: 'sweep', from: 'acme-usd', to: 'acme-reserve', keep: '250000.00', schedule: { rrule, timeZone: 'America/New_York' } }], { days: 92 });
    const runs = expected.schedule?.runs ?? [];
    assert.ok(runs.length >= 2, 'three month-ends ahead');
    assert.equal(await page.getByRole('table', { name: 'Simulated runs' }).getByRole('row').count(), runs.length + 1);
    const first = runs[0]!.events.find((e) => e.type === 'transferred')?.data['amount'];
    assert.equal(typeof first, 'string');
    assert.ok(simulated.includes(`transferred ${String(first)}`), `the first run moves ${String(first)} on screen too`);
    await page.getByRole('button', { name: 'Save instruction' }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused/), /committed/);
    const saved = await rig.api('acme').instruction('month-end');
    assert.equal(saved.kind, 'sweep');
    assert.equal(saved.nextRunAtMs, runs[0]!.atMs);
  });

  it("redeems with the issuer's co-signature, its key file loaded in the browser: the supply falls by the amount", async () => {
    const before = await rig.api('acme').account('acme-usd');
    const supply = (await rig.api('auditor').asset('usd-fmb')).supply;
    const page = await rig.signIn('acme');
    await page.getByRole('tab', { name: 'Redeem' }).click();
    await choose(page, 'Account', 'acme-usd');
    await page.getByLabel('Amount').fill('1000.00');
    await page.getByLabel('Payout reference (your bank account)').fill('ACME-DDA-0001');
    await chooseFile(page, 'Co-signature of the issuer, first-meridian: its key file', join(rig.dataDir, 'keys', 'first-meridian.json'));
    await page.getByText('first-meridian co-signs').waitFor();
    await page.getByRole('button', { name: 'Redeem', exact: true }).click();
    assert.match(await waitForText(page, 'outcome', /committed|refused/), /committed/);
    assert.equal(BigInt((await rig.api('acme').account('acme-usd')).available.replace('.', '')), BigInt(before.available.replace('.', '')) - 100_000n);
    assert.equal(BigInt((await rig.api('auditor').asset('usd-fmb')).supply.replace('.', '')), BigInt(supply.replace('.', '')) - 100_000n);
  });

  it("exports an account's statement as CSV, every line with the balance after it", async () => {
    const page = await rig.signIn('acme');
    await page.getByRole('tab', { name: 'Statements' }).click();
    await choose(page, 'Account', 'acme-usd');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
    const history = (await rig.api('acme').history('acme-usd', { limit: 500 })).data;
    assert.equal(csv[0], 'position,time_utc,type,available_change,held_change,available,held,counterparty,reference,transaction');
    assert.equal(csv.length, history.length + 1);
    assert.ok(csv.some((line) => line.includes('INV-CONSOLE-1') && line.includes('-250000.00')));
  });

  it('shows a payment to the signed-in client as it lands, without reloading: the balance and the live activity change', async () => {
    const page = await rig.signIn('globex');
    const before = (await rig.api('globex').account('globex-usd')).available;
    await page.getByTestId('available-globex-usd').waitFor();
    await page.evaluate(() => { (globalThis as { stillThisPage?: boolean }).stillThisPage = true; });
    const paid = await rig.api('acme').submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '123.45' }], { reference: 'LIVE-CONSOLE-1' });
    assert.ok(paid.status === 'sealed' && paid.receipt.result.status === 'committed');
    const after = (await rig.api('globex').account('globex-usd')).available;
    assert.equal(BigInt(after.replace('.', '')) - BigInt(before.replace('.', '')), 12_345n);
    const expected = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(after as unknown as number);
    await waitForText(page, 'available-globex-usd', new RegExp(`^${expected.replace(/[$.]/g, '\\$&')}$`));
    await page.getByRole('table', { name: 'live activity' }).getByText(/LIVE-CONSOLE-1/).waitFor();
    assert.equal(await page.evaluate(() => (globalThis as { stillThisPage?: boolean }).stillThisPage), true, 'the page was not reloaded');
  });
});
