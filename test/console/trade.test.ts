import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { assertAccessible, screenshot, startConsoleRig, waitForText, type ConsoleRig } from './harness.js';

const CONVERSATION = readFileSync(new URL('../../docs/examples/trade/conversation-en.txt', import.meta.url), 'utf8');

describe('the console: trade', () => {
  let rig: ConsoleRig;
  before(async () => {
    rig = await startConsoleRig();
  });
  after(async () => rig?.close());

  it('drafts an agreement from a pasted conversation, each field with its source quote; proposes it and signs it as the buyer', async () => {
    const page = await rig.signIn('acme');
    await page.getByRole('link', { name: 'Trade' }).click();
    await page.getByRole('tab', { name: 'Draft from a conversation' }).click();
    await page.getByLabel('Conversation (plain text or JSON export)').fill(CONVERSATION);
    await page.getByLabel('Agreement id').fill('earbuds-console');
    await page.getByLabel('Buyer (participant:account)').fill('acme:acme-usd');
    await page.getByLabel('Seller (participant:account[:settlement account])').fill('globex:globex-usd:globex-sgd');
    await page.getByLabel('Carrier').fill('oceanic-lines');
    await page.getByLabel('Arbiter').fill('operator');
    await page.getByRole('button', { name: 'Draft', exact: true }).click();
    const draft = await waitForText(page, 'draft', /Source quote/);
    // Every field is shown with the words it came from, as the desk drafted it.
    const drafted = await rig.api('acme').request<{ fields: Record<string, { quote: string } | { quote: string }[]> }>('POST', '/v1/trade/drafts', {
      conversation: CONVERSATION, id: 'earbuds-console', buyer: { participant: 'acme', account: 'acme-usd' }, seller: { participant: 'globex', account: 'globex-usd', settlementAccount: 'globex-sgd' }, carrier: 'oceanic-lines', arbiter: 'operator',
    });
    const quotes = Object.values(drafted.fields).flatMap((field) => (Array.isArray(field) ? field : [field])).map((field) => field.quote);
    assert.ok(quotes.length > 3);
    for (const quote of quotes) assert.ok(draft.includes(quote), `"${quote}" is on screen`);
    await screenshot(page, 'trade-draft');
    await assertAccessible(page, 'trade-draft');

    await page.getByRole('button', { name: 'Propose this agreement' }).click();
    await page.getByRole('heading', { name: 'Agreement earbuds-console' }).waitFor();
    await page.getByRole('button', { name: 'Sign version 1' }).click();
    await waitForText(page, 'agreement-signatures', /Signed by: acme/);
    const shown = await rig.api('acme').request<{ signedBy: string[]; concluded: boolean }>('GET', '/v1/trade/agreements/earbuds-console');
    assert.deepEqual(shown.signedBy, ['acme']);
    assert.equal(shown.concluded, false);
    await screenshot(page, 'trade');
    await assertAccessible(page, 'trade');
  });

  it("a third party sees neither the agreement on screen nor through the API", async () => {
    const page = await rig.signIn('initech');
    await page.getByRole('link', { name: 'Trade' }).click();
    await page.getByRole('heading', { name: 'Agreements' }).waitFor();
    await page.getByText('Nothing yet').first().waitFor();
    assert.equal(await page.getByText('earbuds-console').count(), 0);
    await assert.rejects(rig.api('initech').request('GET', '/v1/trade/agreements/earbuds-console'), /not a party/);
  });
});
