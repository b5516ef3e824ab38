import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import pino from 'pino';
import { complianceModule } from '../../../src/modules/compliance/index.js';
import { runStandaloneModule } from '../../../src/modules/kit/standalone.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';

const OFAC = new URL('../../../../shared/data/sanctions/ofac', import.meta.url).pathname;

interface Alert { rule: string; subject: string; evidence: { payments: { amount: string }[] } }

/**
 * The compliance module commits a page of the feed at once. A page whose commit fails is
 * handled again: the monitor must raise what it raised the first time (it saw the
 * payments, but nothing of them was recorded), once.
 */
describe('the compliance module: a page whose records fail to commit', () => {
  const dir = tempDir();
  const database = join(dir.path, 'compliance.sqlite');
  const warnings: string[] = [];
  let node: RunningNode;
  let module: { url: string; close(): Promise<void> } | undefined;
  const client = (participant: string, url = node.url) => new DepositumClient({ url, signer: KeyStore.at(dir.path).load(participant) });

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'DEP-RETRY' }]);
    const log = pino({ level: 'warn' }, new Writable({ write: (line: Buffer, _encoding, done) => void (warnings.push(line.toString()), done()) }));
    module = await runStandaloneModule({ module: complianceModule({ lists: [OFAC] }), client: client('compliance'), database: { sqlite: database }, host: '127.0.0.1', port: 0, log, runner: { pollMs: 20 } });
    await eventually('the module following the feed', async () => (await client('compliance', module!.url).request<{ followedTo: string | null }>('GET', '/v1/compliance/monitoring')).followedTo);
  });
  after(async () => {
    await module?.close();
    await node?.close();
    dir.remove();
  });

  it('raises the structuring alert once after the commit that failed succeeds', async () => {
    // The module's database refuses alerts for a while, as a full disk or a lost connection would.
    const outside = new Database(database);
    try {
      outside.exec(`CREATE TRIGGER refuse_alerts BEFORE INSERT ON compliance_alerts BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`);
      for (const amount of ['9500.00', '9400.00', '9800.00']) await client('acme').submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }]);
      await eventually('a page refused', async () => warnings.some((line) => line.includes('refused for the test')));
      outside.exec('DROP TRIGGER refuse_alerts');
    } finally {
      outside.close();
    }
    const alerts = await eventually('the alert', async () => {
      const { data } = await client('compliance', module!.url).request<{ data: Alert[] }>('GET', '/v1/compliance/alerts?rule=structuring');
      return data.length > 0 ? data : null;
    });
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0]!.subject, 'acme-usd');
    assert.deepEqual(alerts[0]!.evidence.payments.map((p) => p.amount), ['950000', '940000', '980000']);
    const state = await client('compliance', module!.url).request<{ payments: number }>('GET', '/v1/compliance/monitoring');
    assert.equal(state.payments, 3, 'each payment recorded once');
  });
});
