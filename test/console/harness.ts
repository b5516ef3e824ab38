import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { tempDir } from '../helpers.js';
import { startNodeProcess, type NodeProcess } from '../process.js';

/** Debian's Chromium, which tools/ensure-chromium.sh (run by `npm test` and CI) installs. */
const CHROMIUM = '/usr/bin/chromium';
const SANCTIONS = fileURLToPath(new URL('../../../shared/data/sanctions/', import.meta.url));
/** Screenshots of each screen, kept as test artifacts (ignored by git). */
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/console/', import.meta.url));

/** A demo node running every module, as the console's users meet it, and a headless Chromium. */
export interface ConsoleRig {
  node: NodeProcess;
  dataDir: string;
  browser: Browser;
  /** A client of the node signing as `participant` (for checking through the API what was done on screen). */
  api(participant: string): DepositumClient;
  /** A fresh browser context signed in as `participant` with its key file, on the console's first screen. */
  signIn(participant: string): Promise<Page>;
  close(): Promise<void>;
}

/** A browser context as the tests use them: a desktop window, US English (amounts are checked as formatted there). */
export const CONTEXT = { viewport: { width: 1440, height: 1000 }, locale: 'en-US', timezoneId: 'UTC', acceptDownloads: true } as const;

/** Debian's Chromium, headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** Opens the console at `url` and signs in with the key file at `keyFile`, as a user does; the page, signed in. */
export async function signInAt(page: Page, url: string, keyFile: string, participant: string): Promise<Page> {
  await page.goto(url);
  await chooseFile(page, 'Key file', keyFile);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: `(${participant})` }).waitFor();
  return page;
}

export async function startConsoleRig(): Promise<ConsoleRig> {
  const dir = tempDir();
  const node = await startNodeProcess(dir.path, {
    args: ['--modules', 'banking,compliance,reserves,trade,notifier'],
    env: { DEPOSITUM_SANCTIONS_LISTS: `${SANCTIONS}ofac,${SANCTIONS}un/consolidated.xml` },
  });
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await node.stop();
    dir.remove();
    throw error;
  }
  const contexts: BrowserContext[] = [];
  const keys = KeyStore.at(dir.path);
  return {
    node, dataDir: dir.path, browser,
    api: (participant) => new DepositumClient({ url: node.url, signer: keys.load(participant) }),
    signIn: async (participant) => {
      const context = await browser.newContext(CONTEXT);
      contexts.push(context);
      return signInAt(await context.newPage(), `${node.url}/console/`, join(keys.directory, `${participant}.json`), participant);
    },
    close: async () => {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close().catch(() => undefined);
      await node.stop();
      dir.remove();
    },
  };
}

/** Picks a file in a file field the way a user does: click it, choose in the dialog. */
export async function chooseFile(page: Page, label: string, path: string): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel(label).click()]);
  await chooser.setFiles(path);
}

/** Picks an option of a select field by the field's label. */
export async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** Saves a screenshot of the page as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Accessibility basics: axe-core finds no critical violation on the page as it is. */
export async function assertAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const critical = results.violations.filter((violation) => violation.impact === 'critical');
  assert.deepEqual(critical.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), [], `${screen}: critical accessibility violations`);
}

/** Waits for an element with this test id whose text matches; its whole text. */
export async function waitForText(page: Page, testId: string, pattern: RegExp): Promise<string> {
  const match = page.getByTestId(testId).filter({ hasText: pattern }).first();
  await match.waitFor();
  return (await match.textContent()) ?? '';
}
