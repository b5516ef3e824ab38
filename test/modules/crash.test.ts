import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { KeyStore } from '../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../src/node/run.js';
import { DepositumClient, type LedgerEvent } from '../../src/sdk/index.js';
import { eventually, tempDir } from '../helpers.js';
import { freshSchema, postgresSkip } from '../postgres.js';
import { CLI_ENTRY, spawnTracked } from '../process.js';
import { WebhookReceiver } from './receiver.js';

const skip = await postgresSkip();


/** `depositum module run notifier` as its own process, its tables in PostgreSQL. */
async function startModule(dataDir: string, nodeUrl: string, databaseUrl: string) {
  const child = spawnTracked(process.execPath, [CLI_ENTRY, '--data-dir', dataDir, '--as', 'notifier', '--url', nodeUrl, 'module', 'run', 'notifier', '--database', databaseUrl, '--port', '0', '--log-level', 'warn']);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = await eventually('the module to listen', async () => child.exitCode !== null ? Promise.reject(new Error(`module exited:\n${output}`)) : /serving (http:\/\/[0-9.:]+)\/v1\/notifier\//.exec(output)?.[1]);
  return { url, kill: async () => { child.kill('SIGKILL'); await exited; }, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

describe('a module killed mid-stream', { skip }, () => {
  const dir = tempDir();
  const receiver = new WebhookReceiver();
  let node: RunningNode;
  let schema: Awaited<ReturnType<typeof freshSchema>>;
  let db: pg.Client;
  const client = (participant: string, url = node.url) => new DepositumClient({ url, signer: KeyStore.at(dir.path).load(participant) });

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'DEP-CRASH' }]);
    schema = await freshSchema('module_crash');
    db = new pg.Client({ connectionString: schema.url });
    await db.connect();
  });
  after(async () => {
    await db?.end();
    await schema?.drop();
    await node?.close();
    await receiver.stop();
    dir.remove();
  });

  const offset = async (): Promise<{ position: string; events: number } | undefined> =>
    (await db.query<{ position: string; events: string }>("SELECT position, events FROM kit_offsets WHERE module = 'notifier'")).rows.map((row) => ({ position: row.position, events: Number(row.events) }))[0];
  const head = async (): Promise<string> => {
    let last = '';
    for (let page = await client('auditor').events({ limit: 500 }); ; page = await client('auditor').events({ after: last, limit: 500 })) {
      last = page.data.at(-1)?.position ?? last;
      if (!page.has_more) return last;
    }
  };
  async function payments(count: number): Promise<void> {
    const acme = client('acme');
    for (let i = 0; i < count; i += 1) await acme.submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }], { wait: i === count - 1 });
  }

  it('handles every event exactly once in effect: one delivery per event, all delivered, none lost or doubled', async () => {
    const hookUrl = await receiver.start();
    let module = await startModule(dir.path, node.url, schema.url);
    // Registered through the module's own server, with a signed request, like any client would.
    const endpoint = await client('acme', module.url).request<{ id: string; secret: string }>('POST', '/v1/notifier/endpoints', { url: hookUrl, types: ['transferred'] });
    const from = await head();
    await eventually('the module to catch up', async () => (await offset())?.position === from);

    // Drive load while the module is down, start it, and kill it once it is part-way through.
    let killedMidStream = false;
    for (let round = 0; round < 10 && !killedMidStream; round += 1) {
      await module.stop();
      await payments(150);
      const target = await head();
      const base = (await offset())!.events;
      module = await startModule(dir.path, node.url, schema.url);
      await eventually('the module to handle some events', async () => {
        const now = await offset();
        return now !== undefined && now.events >= base + 5 && now;
      });
      await module.kill();
      killedMidStream = (await offset())!.position !== target;
    }
    assert.ok(killedMidStream, 'the module was killed before it reached the head');

    // A fresh process resumes from the offset and finishes.
    module = await startModule(dir.path, node.url, schema.url);
    const last = await head();
    await eventually('the module to reach the head', async () => (await offset())?.position === last);
    const expected: LedgerEvent[] = [];
    for (let cursor = from; ;) {
      const page = await client('acme').events({ after: cursor, types: ['transferred'], limit: 500 });
      expected.push(...page.data);
      if (!page.has_more) break;
      cursor = page.data.at(-1)!.position;
    }
    const rows = await eventually('every delivery made', async () => {
      const { rows: all } = await db.query<{ position: string; status: string }>('SELECT position, status FROM notifier_deliveries WHERE endpoint_id = $1 ORDER BY height, event_index, event_n', [endpoint.id]);
      return all.every((row) => row.status === 'delivered') && all.length >= expected.length && all;
    });
    await module.stop();
    assert.deepEqual(rows.map((row) => row.position), expected.map((event) => event.position), 'exactly one delivery per event, in feed order');
    const accepted = receiver.accepted(endpoint.secret);
    assert.deepEqual([...new Set(accepted.map((a) => a.position))].sort(), expected.map((event) => event.position).sort(), 'every event reached the receiver');
    assert.ok(accepted.every((a) => a.signatureProblem === null));
  });
});
