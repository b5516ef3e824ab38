import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, chooseFile, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

const EXAMPLES = fileURLToPath(new URL('../../docs/examples/reserves/', import.meta.url));

describe('the console: reserves', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
    await rig.api('harbour-stable').submit([{ type: 'issue', account: 'acme-hkd', amount: '40000000.00', depositReference: 'HK-DEP-CONSOLE' }]);
  });
  after(async () => rig?.close());

  it("the issuer imports the custodian's files, sees coverage and composition against the profile, and runs the stress tests", async () => {
    const page = await rig.signIn('harbour-stable');
    await page.getByRole('link', { name: 'Reserves' }).click();
    await page.getByRole('tab', { name: 'Reports and register' }).click();
    for (const [kind, file] of [['fx', 'fx-2026-12-04.csv'], ['positions', 'positions-2026-12-04.csv']] as const) {
      await page.getByRole('combobox', { name: 'File kind' }).click();
      await page.getByRole('option', { name: kind, exact: true }).click();
      await chooseFile(page, 'CSV file', `${EXAMPLES}${file}`);
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      assert.match(await waitForText(page, 'outcome', new RegExp(`rows of ${kind}|refused`)), new RegExp(`register version \\d+: \\d+ rows of ${kind} as of 2026-12-04`));
    }

    await page.getByRole('tab', { name: 'Coverage and composition' }).click();
    const check = await rig.api('harbour-stable').request<{ coverage: string; status: string; supply: string }>('GET', '/v1/reserves/check');
    assert.equal(check.supply, '40000000.00');
    const figures = await waitForText(page, 'reserves-figures', new RegExp(check.coverage.replace('.', '\\.')));
    assert.match(figures, /HK\$40,000,000\.00/);
    await page.getByRole('heading', { name: 'Composition by tier' }).waitFor();
    await screenshot(page, 'reserves');
    await assertAccessible(page, 'reserves');

    await page.getByRole('tab', { name: 'Stress tests' }).click();
    await page.getByRole('button', { name: 'Run stress tests' }).click();
    const shown = await waitForText(page, 'stress-results', /Coverage today/);
    const stressed = await rig.api('harbour-stable').request<{ results: { scenario: string; coverage: string }[] }>('POST', '/v1/reserves/stress', {});
    assert.ok(stressed.results.length > 0);
    for (const result of stressed.results) assert.ok(shown.includes(result.scenario) && shown.includes(result.coverage), `${result.scenario} at ${result.coverage} is on screen`);
    await screenshot(page, 'reserves-stress');
    await assertAccessible(page, 'reserves-stress');
  });

  it("a client sees no reserves desk: the API refuses it the issuer's register", async () => {
    await assert.rejects(rig.api('acme').request('GET', '/v1/reserves/check'), /may not see the reserves/);
  });
});
