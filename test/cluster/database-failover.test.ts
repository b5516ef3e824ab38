import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { postgresSkip } from '../postgres.js';
import { assertChainHolds, eventually, payLoad, readiness, startCluster } from './cluster.js';
import { startReplicatedPostgres } from './replicated-postgres.js';

const skip = await postgresSkip();

describe('database fail-over', { skip }, () => {
  it('loses no acknowledged payment when the primary dies under load and the synchronous standby is promoted', async (t) => {
    const database = await startReplicatedPostgres();
    try {
      const cluster = await startCluster(2, database);
      try {
        const mint = await cluster.client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'DEP-DBHA' }]);
        assert.equal(mint.status === 'sealed' && mint.receipt.result.status, 'committed');
        const load = payLoad(cluster, 4);
        t.after(() => load.stop());
        await load.acknowledgedAtLeast(50, 'load before the primary stops');
        const heights = await Promise.all(cluster.nodes.map(async (node) => (await readiness(node))?.height ?? 0));
        const stoppedAt = performance.now();
        await database.stopPrimaryHard();
        await sleep(500);
        await database.promoteStandby();
        const highest = Math.max(...heights);
        await eventually('blocks on the promoted standby', async () => {
          for (const node of cluster.nodes) if (((await readiness(node))?.height ?? 0) > highest + 2) return true;
          return false;
        });
        t.diagnostic(`writing again ${Math.round(performance.now() - stoppedAt)} ms after the primary stopped (the standby was promoted after 500 ms)`);
        await load.acknowledgedAtLeast(50, 'load on the promoted standby');
        await load.stop();
        t.diagnostic(`${load.acknowledged.size} payments acknowledged, ${load.failures.length} gave up`);
        assert.deepEqual(load.failures.map((error) => error.message), [], 'the SDK rode through the fail-over');
        await assertChainHolds(cluster, load.acknowledged, cluster.client('auditor'));
      } catch (error) {
        for (const node of cluster.nodes) t.diagnostic(`${node.url}: ${node.output().split('\n').filter((line) => !line.includes('reqId')).slice(-10).join('\n')}`);
        throw error;
      } finally {
        await cluster.remove();
      }
    } finally {
      await database.remove();
    }
  });
});
