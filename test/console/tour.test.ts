import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tourOnNode } from '../tours/run.js';
import { assertAccessible, CONTEXT, launchChromium, screenshot, signInAt, waitForText } from './harness.js';

describe('the README console tour', () => {
  it('works as written: the console is where `depositum console` says, acme signs in with the key file it names, sees its balance and verifies the payment in its browser', (t) => tourOnNode(t, 'console', async (outputs) => {
    const printed = outputs[2]!;
    const url = /Open (\S+\/console\/) in a browser/.exec(printed)?.[1];
    const keyFile = /^\s+acme\s+(\S+acme\.json)$/m.exec(printed)?.[1];
    assert.ok(url !== undefined && keyFile !== undefined, printed);
    assert.doesNotMatch(printed, /validator/, "the validator's key is no sign-in");
    const browser = await launchChromium();
    try {
      const page = await signInAt(await (await browser.newContext(CONTEXT)).newPage(), url, keyFile, 'acme');
      await waitForText(page, 'available-acme-usd', /^\$750,000\.00$/);
      await screenshot(page, 'tour-treasurer');
      await page.getByRole('link', { name: 'Explorer' }).click();
      const latest = page.getByRole('table', { name: 'blocks' }).getByRole('row').nth(1).getByRole('button');
      await latest.click();
      await page.getByRole('table', { name: 'transactions' }).getByRole('button').first().click();
      await page.getByRole('button', { name: 'Verify the receipt in this browser' }).click();
      assert.match(await waitForText(page, 'proof-check', /erified/), /^Verified in your browser/);
      await screenshot(page, 'tour-explorer');
      await assertAccessible(page, 'tour-explorer');
    } finally {
      await browser.close();
    }
  }));
});
