import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { AmqpLink, connectionName, REASON_HEADER } from '../../../src/modules/banking/amqp.js';
import { bankingModule } from '../../../src/modules/banking/index.js';
import { SchemaDirectory } from '../../../src/modules/banking/iso20022/index.js';
import { amqpSettings, type BankingSettings } from '../../../src/modules/banking/settings.js';
import { buildCamt054 } from '../../../src/modules/banking/sim/messages.js';
import { KeyStore } from '../../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../../src/node/run.js';
import { DepositumClient } from '../../../src/sdk/index.js';
import { eventually, tempDir } from '../../helpers.js';

const BROKER = process.env['DEPOSITUM_TEST_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
const XSD_DIR = new URL('../../../../shared/data/iso20022/xsd', import.meta.url).pathname;
const OMNIBUS = { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' };

/** One credit of `amount` from Acme's account, notified in a camt.054 of its own. */
function credit(reference: string, amount: string): string {
  return buildCamt054(`C54-${reference}`, new Date().toISOString(), OMNIBUS, [{ reference, amount, side: 'credit', bookingDate: new Date().toISOString().slice(0, 10), endToEndId: `E2E-${reference}`, counterparty: { name: 'Acme Logistics Inc.', account: 'ACME-DDA-4410' } }]);
}

/** What the broker said of a message's delivery (the link keeps it with the message). */
function deliveryOf(message: object): { redelivered: boolean } {
  return (message as { delivery: { fields: { redelivered: boolean } } }).delivery.fields;
}

/** Stops and starts the machine's RabbitMQ application (the broker process stays): every connection drops; durable queues and persistent messages survive. */
function restartBroker(): void {
  execFileSync('rabbitmqctl', ['stop_app'], { stdio: 'ignore' });
  execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
}

describe('the banking module over RabbitMQ', () => {
  const dir = tempDir();
  const queues = `depositum.test.${randomUUID().slice(0, 8)}`;
  const settings: BankingSettings = {
    omnibusAccount: 'FMB-OMNIBUS-USD', asset: 'usd-fmb', xsdDirectory: XSD_DIR, staff: ['first-meridian'],
    amqp: { url: BROKER, inQueue: `${queues}.in`, outQueue: `${queues}.out`, failedQueue: `${queues}.failed` },
    payout: { format: 'pacs.008', debtor: { name: 'First Meridian Bank, N.A.', town: 'New York', country: 'US', agentBic: 'FMBKUS33' } },
  };
  const names = amqpSettings(settings.amqp!);
  let node: RunningNode;
  let bank: ChannelModel;
  let channel: Channel;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(join(dir.path, 'data')).load(participant) });
  const balance = async (account: string) => (await client('auditor').account(account)).available;
  const publish = (id: string, xml: string) => channel.sendToQueue(names.inQueue, Buffer.from(xml), { persistent: true, messageId: id, contentType: 'application/xml' });
  /** The bank's side: connected again after the broker restarts. */
  const connectBank = async () => {
    bank = await amqp.connect(BROKER);
    channel = await bank.createChannel();
    for (const queue of [names.inQueue, names.outQueue, names.failedQueue]) await channel.assertQueue(queue, { durable: true });
  };

  before(async () => {
    await connectBank();
    node = await runNode({ dataDir: join(dir.path, 'data'), host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [bankingModule(settings)], moduleRunner: { pollMs: 20 } });
    await client('first-meridian').request('POST', '/v1/banking/links', { bankAccount: 'ACME-DDA-4410', tokenAccount: 'acme-usd', holder: { name: 'Acme Logistics Inc.', town: 'Chicago', country: 'US', agentBic: 'FMBKUS33' } });
  });
  after(async () => {
    await node?.close();
    for (const queue of [names.inQueue, names.outQueue, names.failedQueue]) await channel?.deleteQueue(queue).catch(() => undefined);
    await bank?.close().catch(() => undefined);
    dir.remove();
  });

  it('mints a credit from the queue once, however often the bank delivers it; a malformed message goes to the failed queue with why', async () => {
    publish('C54-1', credit('SIMQ000001', '1000.00'));
    publish('C54-1-again', credit('SIMQ000001', '1000.00'));
    publish('C54-BAD', credit('SIMQ000002', '1.00').replace('<Amt Ccy="USD">1.00</Amt>', '<Amt Ccy="USD">much</Amt>'));
    const failed = await eventually('the refused message in the failed queue', async () => channel.get(names.failedQueue, { noAck: true }));
    assert.equal(failed.properties.messageId, 'C54-BAD');
    assert.match(String(failed.properties.headers?.[REASON_HEADER]), /fails camt\.054\.001\.08\.xsd/);
    await eventually('the mint', async () => (await balance('acme-usd')) === '1000.00');
    await eventually('the queue drained', async () => (await channel.checkQueue(names.inQueue)).messageCount === 0);
    assert.equal(await balance('acme-usd'), '1000.00', 'minted once');
  });

  it('publishes each payout to the bank\'s queue, confirmed, valid against its XSD', async () => {
    await client('acme').submit([{ type: 'redeem', account: 'acme-usd', amount: '400.00', payoutReference: 'RDM-Q1' }], { cosigners: [KeyStore.at(join(dir.path, 'data')).load('first-meridian')] });
    const payout = await eventually('the pacs.008 on the out queue', async () => channel.get(names.outQueue, { noAck: true }));
    const xml = payout.content.toString('utf8');
    assert.match(xml, /<EndToEndId>RDM-Q1<\/EndToEndId>/);
    assert.deepEqual((await new SchemaDirectory(XSD_DIR).validate(xml, 'pacs.008.001.09')).errors, []);
    assert.equal(payout.properties.deliveryMode, 2, 'persistent');
  });

  it('gives back, unacknowledged, a message whose taker died before recording its effects', async () => {
    const probe = `${queues}.probe`;
    const link = new AmqpLink({ ...names, inQueue: probe });
    const other = new AmqpLink({ ...names, inQueue: probe });
    try {
      await channel.assertQueue(probe, { durable: true });
      channel.sendToQueue(probe, Buffer.from('<x/>'), { persistent: true, messageId: 'P-1' });
      const [taken] = await eventually('the probe', async () => { const got = await link.take(1); return got.length === 1 ? got : null; });
      assert.equal(taken!.name, 'P-1');
      await link.close(); // killed: no ack
      const [again] = await eventually('the probe redelivered', async () => { const got = await other.take(1); return got.length === 1 ? got : null; });
      assert.deepEqual([again!.name, again!.body.toString('utf8')], ['P-1', '<x/>']);
      await other.done(again!);
    } finally {
      await link.close();
      await other.close();
      await channel.deleteQueue(probe).catch(() => undefined);
    }
  });

  it('acknowledges the messages done together, never one that is not done', async () => {
    const probe = `${queues}.acks`;
    const link = new AmqpLink({ ...names, inQueue: probe });
    const other = new AmqpLink({ ...names, inQueue: probe });
    try {
      await channel.assertQueue(probe, { durable: true });
      for (const id of ['A-1', 'A-2', 'A-3', 'A-4']) channel.sendToQueue(probe, Buffer.from('<x/>'), { persistent: true, messageId: id });
      const taken = await eventually('the four', async () => { const got = await link.take(4); return got.length === 4 ? got : null; });
      // The first two done together, the fourth done while the third is still being taken.
      for (const message of [taken[0]!, taken[1]!, taken[3]!]) await link.done(message);
      await new Promise((resolve) => setImmediate(resolve));
      await link.close();
      const again = await eventually('what was not done, redelivered', async () => { const got = await other.take(4); return got.length > 0 ? got : null; });
      assert.deepEqual(again.map((message) => message.name), ['A-3']);
      await other.done(again[0]!);
      await other.close();
      assert.equal((await channel.checkQueue(probe)).messageCount, 0);
    } finally {
      await link.close();
      await other.close();
      await channel.deleteQueue(probe).catch(() => undefined);
    }
  });

  it('declares its queues as the settings say (quorum queues here), takes and acknowledges on them, and keeps a failed round\'s message for the next', async () => {
    const probe = { ...names, inQueue: `${queues}.quorum.in`, outQueue: `${queues}.quorum.out`, failedQueue: `${queues}.quorum.failed` };
    const link = new AmqpLink({ ...probe, queueArguments: { 'x-queue-type': 'quorum' } });
    const mismatched = new AmqpLink(probe);
    try {
      assert.deepEqual(await link.take(1), [], 'declared, nothing yet');
      const classic = await bank.createChannel();
      classic.on('error', () => undefined);
      await assert.rejects(classic.assertQueue(probe.inQueue, { durable: true }), /inequivalent arg 'x-queue-type'/, 'the broker has it as a quorum queue');
      channel.sendToQueue(probe.inQueue, Buffer.from('<q/>'), { persistent: true, messageId: 'Q-1' });
      const [taken] = await eventually('the message', async () => { const got = await link.take(1); return got.length === 1 ? got : null; });
      // A round that failed: the message is kept for the next, not given back (a quorum queue would count the return toward its delivery limit).
      await link.release(taken!);
      const [again] = await link.take(1);
      assert.equal(again!.name, 'Q-1');
      assert.equal(deliveryOf(again!).redelivered, false, 'the broker delivered it once');
      await link.done(again!);
      await eventually('acknowledged', async () => (await channel.checkQueue(probe.inQueue)).messageCount === 0);

      // The same queues without the setting: refused, with what to change; each failed round closes the connection it opened.
      for (let round = 0; round < 3; round += 1) await assert.rejects(mismatched.take(1), /exists on the broker with other arguments than amqp\.queueArguments \{\}: set them as the broker has them .*inequivalent arg 'x-queue-type'/);
      const named = () => execFileSync('rabbitmqctl', ['list_connections', 'client_properties', '--quiet', '--no-table-headers'], { encoding: 'utf8' }).split('\n').filter((line) => line.includes(`"${connectionName(probe)}"`));
      await eventually('only the working link\'s connection open', async () => named().length === 1);

      // "No delivery limit" is -1 from RabbitMQ 4.0; on 3.x the same -1 drops a message the first time it is given back.
      const unlimited = new AmqpLink({ ...probe, inQueue: `${queues}.unlimited.in`, queueArguments: { 'x-queue-type': 'quorum', 'x-delivery-limit': -1 } });
      try {
        const major = Number.parseInt(String(bank.connection.serverProperties.version), 10);
        if (major < 4) await assert.rejects(unlimited.take(1), /"x-delivery-limit": -1 on RabbitMQ 3\.\S+ drops a message the first time the module gives it back/);
        else assert.deepEqual(await unlimited.take(1), []);
      } finally {
        await unlimited.close();
        await channel.deleteQueue(`${queues}.unlimited.in`).catch(() => undefined);
      }
    } finally {
      await link.close();
      await mismatched.close();
      for (const queue of [probe.inQueue, probe.outQueue, probe.failedQueue]) await channel.deleteQueue(queue).catch(() => undefined);
    }
  });

  it('loses no deposit and mints none twice when RabbitMQ restarts under load', async () => {
    const before = Math.round(Number(await balance('acme-usd')) * 100);
    const held = async () => Math.round(Number(await balance('acme-usd')) * 100);
    // Load until the restart comes part-way through (some credits minted, some still queued): the module mints a thousand at a time, so a fast one may take a whole load first.
    let published = 0;
    for (let attempt = 1; ; attempt += 1) {
      const from = published;
      for (let i = 0; i < 5000; i += 1) publish(`C54-LOAD-${attempt}-${i}`, credit(`SIMLOAD${attempt}${String(i).padStart(6, '0')}`, '1.00'));
      published += 5000;
      await eventually('the module part-way through', async () => await held() > before + from * 100);
      try {
        restartBroker();
      } finally {
        execFileSync('rabbitmqctl', ['start_app'], { stdio: 'ignore' });
      }
      const atRestart = await held();
      await connectBank();
      if (atRestart < before + published * 100) break;
      assert.ok(attempt < 3, 'the broker restarted while credits were still queued (in three loads)');
    }
    await eventually('every credit minted', async () => await held() >= before + published * 100, 180_000);
    await eventually('the queue drained', async () => (await channel.checkQueue(names.inQueue)).messageCount === 0);
    assert.equal(await held(), before + published * 100, 'each exactly once');
    const suspense = (await client('first-meridian').request<{ data: unknown[] }>('GET', '/v1/banking/credits?status=suspense')).data;
    assert.deepEqual(suspense, [], 'no credit set aside: each minted and recorded');
  });
});
