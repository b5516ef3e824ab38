import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import type { LedgerEvent } from '../../src/sdk/index.js';
import { eventually, startCluster } from '../cluster/cluster.js';
import { postgresSkip } from '../postgres.js';
import { WebhookReceiver } from './receiver.js';

const skip = await postgresSkip();

interface Delivery { position: string; status: string; attempts: number }

describe('webhooks across a fail-over', { skip }, () => {
  it('the node that ran the notifier is killed; another node takes the module over and delivers every event once', async () => {
    const receiver = new WebhookReceiver();
    const hookUrl = await receiver.start();
    const cluster = await startCluster(2, undefined, ['--modules', 'notifier']);
    const db = new pg.Client({ connectionString: cluster.databaseUrl });
    await db.connect();
    try {
      const acme = cluster.client('acme');
      const endpoint = await acme.request<{ id: string; secret: string }>('POST', '/v1/notifier/endpoints', { url: hookUrl, types: ['transferred'] });
      const deliveries = async () => (await acme.request<{ data: Delivery[] }>('GET', `/v1/notifier/endpoints/${endpoint.id}/deliveries?limit=500`)).data;
      receiver.mode = 'fail';
      await cluster.client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '100.00', depositReference: 'DEP-FAILOVER' }]);
      await acme.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]);
      await acme.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '2.00' }]);
      await eventually('a failed attempt', async () => (await deliveries()).some((d) => d.attempts >= 1));

      // The node holding the module's lease dies without a word; its deliveries are in PostgreSQL.
      const { rows } = await db.query<{ holder: string }>("SELECT holder FROM kit_leases WHERE module = 'notifier'");
      const holder = cluster.nodes.find((node) => rows[0]?.holder.split(':')[1] === String(node.child.pid));
      assert.ok(holder !== undefined, `a node holds the notifier's lease (${rows[0]?.holder})`);
      await holder.kill();
      receiver.mode = 'ok';
      await acme.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '3.00' }]);

      const expected: LedgerEvent[] = (await acme.events({ types: ['transferred'], limit: 500 })).data;
      assert.equal(expected.length, 3);
      const done = await eventually('every delivery made by the surviving node', async () => {
        const all = await deliveries();
        return all.length === expected.length && all.every((d) => d.status === 'delivered') && all;
      });
      assert.deepEqual(done.map((d) => d.position).reverse(), expected.map((e) => e.position));
      const accepted = receiver.accepted(endpoint.secret);
      assert.deepEqual(accepted.map((a) => a.position), expected.map((e) => e.position), 'each accepted once, in order');
      assert.ok(accepted.every((a) => a.signatureProblem === null));
    } finally {
      await db.end();
      await cluster.remove();
      await receiver.stop();
    }
  });
});
