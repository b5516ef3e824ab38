import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CLI_ENTRY } from '../process.js';
import { assertAccessible, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

const run = promisify(execFile);

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
    const frozen = await waitForText(page, 'outcome', /committed|refused|held/);
    assert.match(frozen, /committed in block \d+/);
    assert.equal((await rig.api('initech').account('initech-usd')).frozen, true);
    const refused = await rig.api('initech').submit([{ type: 'transfer', from: 'initech-usd', to: 'acme-usd', amount: '1.00' }]);
    assert.equal(refused.status === 'sealed' && refused.receipt.result.status, 'rejected');
    await screenshot(page, 'operator');
    await assertAccessible(page, 'operator');

    await page.getByRole('button', { name: 'Unfreeze', exact: true }).click();
    // The freeze's outcome stays on screen until the unfreeze's replaces it: wait for the new one.
    await page.getByTestId('outcome').filter({ hasText: /committed in block/, hasNotText: frozen }).waitFor();
    assert.equal((await rig.api('initech').account('initech-usd')).frozen, false);
  });

  it("a client cannot do what the operator does: freezing another client's account by the same clicks is refused with the API's reason", async () => {
    const page = await rig.signIn('acme');
    await page.goto(`${rig.node.url}/console/#/operator`);
    // The screen is not offered to a client; opened by its address, the ledger still decides.
    await page.getByRole('heading', { name: 'Treasurer' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Operator and issuer' }).count(), 0);
    const attempt = await rig.api('acme').submit([{ type: 'freeze_account', account: 'globex-usd' }]);
    assert.deepEqual(attempt.status === 'sealed' && attempt.receipt.result, { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.equal((await rig.api('globex').account('globex-usd')).frozen, false);
  });

  it("shows the bank's staff the day's statement reconciled, supply against the omnibus balance on a chart, and the suspense", async () => {
    // The bank's core (the simulator) sends the day's statement of the omnibus account.
    const bankSim = (...args: string[]) => run(process.execPath, [CLI_ENTRY, 'bank-sim', ...args], { env: { ...process.env, DEPOSITUM_DATA_DIR: rig.dataDir } });
    await bankSim('open', '--backing', 'usd-fmb');
    await bankSim('end-of-day', '--wait');
    const page = await rig.signIn('first-meridian');
    await page.getByRole('link', { name: 'Operator and issuer' }).click();
    await page.getByRole('tab', { name: 'Banking: suspense and reconciliation' }).click();
    await page.getByRole('heading', { name: 'Credits in suspense' }).waitFor();
    const statements = await rig.api('first-meridian').request<{ data: { statement: string; supply: string; closingBalance: string; reconciled: boolean }[] }>('GET', '/v1/banking/statements');
    const [statement] = statements.data;
    assert.ok(statement !== undefined && statement.reconciled, 'the day reconciles');
    const row = page.getByRole('table', { name: 'statements' }).getByRole('row').filter({ hasText: statement.statement });
    await row.getByText('reconciled').waitFor();
    assert.match((await row.textContent()) ?? '', new RegExp(`${statement.closingBalance} USD.*${statement.supply} USD`));
    // The chart draws a line per series (one statement is one point of each).
    assert.equal(await page.locator('.recharts-line').count(), 2);
    await screenshot(page, 'operator-banking');
    await assertAccessible(page, 'operator-banking');
  });
});
