import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyStore } from '../../src/node/keystore.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { tempDir } from '../helpers.js';
import { startNodeProcess } from '../process.js';
import { runTour, tourCommands } from './run.js';

describe('the README webhooks tour', () => {
  it('works as written, on a node running the notifier module', async (t) => {
    assert.doesNotMatch(tourCommands('webhooks').flatMap((c) => c.args).join(' '), /127\.0\.0\.1|localhost|--url/);
    const dir = tempDir();
    const node = await startNodeProcess(dir.path, { args: ['--modules', 'notifier'] });
    try {
      const outputs = await runTour('webhooks', dir.path, (line) => t.diagnostic(line));
      assert.match(outputs[0]!, /secret whsec_/);
      // The receiver never answers: the delivery of Acme's payment is attempted, logged, and pending a retry.
      const acme = new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('acme') });
      const [endpoint] = (await acme.request<{ data: { id: string }[] }>('GET', '/v1/notifier/endpoints')).data;
      for (let deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
        const { data } = await acme.request<{ data: { type: string; status: string; attempts: number; lastError: string | null }[] }>('GET', `/v1/notifier/endpoints/${endpoint!.id}/deliveries`);
        if (data.length === 1 && data[0]!.attempts >= 1) {
          assert.equal(data[0]!.type, 'transferred');
          assert.equal(data[0]!.status, 'pending');
          assert.ok(data[0]!.lastError !== null);
          break;
        }
        assert.ok(Date.now() < deadline, `no attempt logged: ${JSON.stringify(data)}`);
      }
    } finally {
      await node.stop();
      dir.remove();
    }
  });
});
