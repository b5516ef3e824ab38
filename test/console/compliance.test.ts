import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

interface CaseView { id: string; status: string; action: { freeze: string } | null; actionStatus: string }

describe('the console: compliance', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
    // Three payments just under USD 10,000 within minutes: structuring, which monitoring alerts on.
    await rig.api('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '50000.00', depositReference: 'DEP-COMPLIANCE' }]);
    for (const amount of ['9500.00', '9400.00', '9800.00']) await rig.api('acme').submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }]);
  });
  after(async () => rig?.close());

  it('screens a name and shows each hit, its list entry and why', async () => {
    const page = await rig.signIn('compliance');
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Screening' }).click();
    await page.getByLabel('Name to screen').fill('Banco Nacional de Cuba');
    await page.getByRole('button', { name: 'Screen', exact: true }).click();
    const result = await waitForText(page, 'screening-result', /Banco Nacional de Cuba/);
    assert.match(result, /block/);
    assert.match(result, /ofac-sdn/);
    assert.match(result, /BANCO NACIONAL DE CUBA/);
    await assertAccessible(page, 'compliance-screening');
  });

  it('works an alert into a case and decides it, freezing the account: the decision and the freeze are on the ledger', async () => {
    const page = await rig.signIn('compliance');
    await page.getByRole('link', { name: 'Compliance' }).click();
    // Monitoring raises the alert a moment after the payments' block; the desk refreshes until it shows.
    const pick = page.getByRole('checkbox', { name: /Pick alert/ }).first();
    await pick.waitFor({ timeout: 60_000 });
    await page.getByRole('cell', { name: 'structuring' }).first().waitFor();
    await page.getByRole('row').filter({ hasText: 'structuring' }).getByRole('checkbox').first().check();
    await page.getByLabel('Case id').fill('CASE-CONSOLE-1');
    await page.getByLabel('Note').fill('Structuring toward Globex');
    await page.getByRole('button', { name: /Open a case on 1 alert/ }).click();
    await page.getByRole('heading', { name: 'Case CASE-CONSOLE-1' }).waitFor();
    await page.getByLabel('Decision note').fill('Suspicious; STR to be filed');
    await page.getByLabel('Freeze account (optional)').fill('acme-usd');
    await page.getByRole('button', { name: 'Decide', exact: true }).click();
    assert.match(await waitForText(page, 'outcome', /confirmed|refused/), /case CASE-CONSOLE-1: confirmed/);
    const decided = await rig.api('compliance').request<{ case: CaseView }>('GET', '/v1/compliance/cases/CASE-CONSOLE-1');
    assert.equal(decided.case.status, 'confirmed');
    assert.deepEqual(decided.case.action, { freeze: 'acme-usd' });
    // The freeze is carried out on the ledger by the module's participant.
    for (let tries = 0; !(await rig.api('acme').account('acme-usd')).frozen; tries += 1) {
      assert.ok(tries < 600, 'the freeze reaches the ledger');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.getByText(/freeze acme-usd: done/).waitFor();

    await page.getByLabel('Reason for suspicion').fill('Three payments just under USD 10,000 within minutes');
    await page.getByLabel('Action taken').fill('Account frozen; relationship under review');
    await page.getByRole('button', { name: 'File report' }).click();
    const filed = await waitForText(page, 'outcome', /^Reportreport/);
    assert.match(filed, /report STR-\S+: \w+/);
    for (let tries = 0; ; tries += 1) {
      const reports = await rig.api('auditor').request<{ data: { kind: string; status: string; caseId: string | null }[] }>('GET', '/v1/compliance/reports');
      if (reports.data.some((r) => r.kind === 'suspicious_transaction' && r.status === 'filed')) break;
      assert.ok(tries < 600, 'the report is filed on the ledger');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await screenshot(page, 'compliance');
    await assertAccessible(page, 'compliance');
  });

  it("shows the Travel Rule data a cross-border transfer carried, found from the transaction's hash", async () => {
    await rig.api('first-meridian').submit([{ type: 'issue', account: 'globex-usd', amount: '5000.00', depositReference: 'DEP-TRAVEL-RULE' }]);
    const payload = JSON.parse(readFileSync(new URL('../../docs/examples/travel-rule-globex-initech.json', import.meta.url), 'utf8')) as unknown;
    const { hash } = await rig.api('globex').request<{ hash: string }>('POST', '/v1/compliance/travel-rule', { payload });
    const paid = await rig.api('globex').submit([{ type: 'transfer', from: 'globex-usd', to: 'initech-usd', amount: '2000.00', travelRule: hash }]);
    assert.ok(paid.status === 'sealed' && paid.receipt.result.status === 'committed');
    const page = await rig.signIn('compliance');
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Travel Rule' }).click();
    await page.getByLabel('Transaction hash').fill(paid.receipt.transaction);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText(`(globex-usd) →`, { exact: false }).waitFor();
    await page.getByText(hash).waitFor();
    await assertAccessible(page, 'compliance-travel-rule');
  });

  it('a client may not see the desk: the screen is not offered and the API refuses', async () => {
    const page = await rig.signIn('acme');
    assert.equal(await page.getByRole('link', { name: 'Compliance' }).count(), 0);
    await assert.rejects(rig.api('acme').request('GET', '/v1/compliance/cases'), /acme may not see alerts and cases/);
  });
});
