import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { BlockRejectedError, MerkleTree, resultLeaf, signBlock, type SignedBlock } from '../../src/chain/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runObserver, type RunningObserver } from '../../src/node/observe.js';
import { PartialChain } from '../../src/node/observer.js';
import { VALIDATOR_KEY_NAME } from '../../src/node/data-dir.js';
import { runNode, type RunningNode } from '../../src/node/run.js';
import { DepositumApiError, DepositumClient } from '../../src/sdk/index.js';
import { BlockRecordView, encodeBlockRecord } from '../../src/store/block-record.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers.js';
import { CLI_ENTRY } from '../process.js';

/** An observer's data directory: only the key of the identity it observes as. */
function observerDir(upstreamDir: string, participant: string): { path: string; remove: () => void } {
  const dir = tempDir();
  mkdirSync(join(dir.path, 'keys'));
  copyFileSync(join(upstreamDir, 'keys', `${participant}.json`), join(dir.path, 'keys', `${participant}.json`));
  return dir;
}

/**
 * What a sequencer that lies would write: the block's first result changed, the result
 * root recomputed and the header re-signed with the real validator key, so seal, link
 * and roots all check out and only a replay can tell.
 */
async function forgeResult(upstreamDir: string, height: number): Promise<void> {
  const db = new Database(join(upstreamDir, 'ledger.sqlite'));
  try {
    const block = db.prepare<[number], { header: string }>('SELECT header FROM blocks WHERE height = ?').get(height)!;
    const record = new BlockRecordView(height, db.prepare<[number], Buffer>('SELECT record FROM blocks WHERE height = ?').pluck().get(height)!).decode();
    const forged = { status: 'rejected', code: 'insufficient_funds', operation: 0 };
    const transactions = record.transactions.map((tx, index) => (index === 0 ? { ...tx, result: JSON.stringify(forged) } : tx));
    const header = { ...(JSON.parse(block.header) as SignedBlock['header']), resultRoot: MerkleTree.of(transactions.map((tx) => resultLeaf(tx.hash, JSON.parse(tx.result), JSON.parse(tx.signers)))).root().toString('hex') };
    const resigned = await signBlock(header, [KeyStore.at(upstreamDir).load(VALIDATOR_KEY_NAME)]);
    db.prepare('UPDATE blocks SET record = ? WHERE height = ?').run(encodeBlockRecord({ ...record, transactions }), height);
    db.prepare('UPDATE blocks SET hash = ?, header = ?, signatures = ? WHERE height = ?').run(resigned.hash, JSON.stringify(header), JSON.stringify(resigned.signatures), height);
  } finally {
    db.close();
  }
}

async function runCli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('observer nodes', () => {
  const upstreamDir = tempDir();
  let upstream: RunningNode;
  let genesisHash: string;
  const client = (participant: string, url = upstream.url) => new DepositumClient({ url, signer: KeyStore.at(upstreamDir.path).load(participant) });
  const pay = async (amount: string) => {
    const outcome = await client('acme').submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }]);
    assert.ok(outcome.status === 'sealed' && outcome.receipt.result.status === 'committed');
    return outcome.receipt.block.header.height;
  };
  const observe = (dir: string, as: string, pollIntervalMs = 50): Promise<RunningObserver> =>
    runObserver({ dataDir: dir, upstream: upstream.url, as, genesisHash, host: '127.0.0.1', port: 0, logLevel: 'silent', observer: { pollIntervalMs } }, true);
  const caughtUp = async (running: RunningObserver, height: number) => {
    while (running.observer.status.height < height) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  before(async () => {
    upstream = await runNode({ dataDir: upstreamDir.path, host: '127.0.0.1', port: 0, demo: true, verifierThreads: 0, logLevel: 'silent' });
    genesisHash = upstream.ledger.engine.genesisHash;
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-OBS' }]);
    await client('straits-bank').submit([{ type: 'issue', account: 'initech-sgd', amount: '50.00', depositReference: 'DEP-OBS-SGD' }]);
  });
  after(async () => {
    await upstream.close();
    upstreamDir.remove();
  });

  it("an auditor's observer replays every block and serves the read API; it refuses submissions", async () => {
    const dir = observerDir(upstreamDir.path, 'auditor');
    const running = await observe(dir.path, 'auditor');
    try {
      const height = await pay('10.00');
      await caughtUp(running, height);
      const local = client('auditor', running.url!);
      assert.deepEqual(await local.account('acme-usd'), await client('auditor').account('acme-usd'));
      assert.equal((await local.account('globex-usd')).available, '10.00');
      assert.equal(running.observer.status.lagBlocks, 0);
      await assert.rejects(client('acme', running.url!).submit([{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]),
        (error: DepositumApiError) => error.status === 405 && error.code === 'read_only_node' && error.message.includes(upstream.url));
      const metrics = await (await fetch(`${running.url}/metrics`)).text();
      assert.match(metrics, /^depositum_replication_lag_blocks 0$/m);
      assert.match(metrics, /^depositum_observer_alarm 0$/m);
    } finally {
      await running.close();
      dir.remove();
    }
  });

  it("a participant's observer gets every header and only its own transactions, each proven", async () => {
    const dir = observerDir(upstreamDir.path, 'globex');
    const running = await observe(dir.path, 'globex');
    try {
      const height = await pay('1.00');
      await caughtUp(running, height);
      assert.equal(running.observer.status.complete, false);
      const health = await (await fetch(`${running.url}/health`)).json() as { status: string; height: number };
      assert.deepEqual(health, { status: 'ok', height, alarm: null });
    } finally {
      await running.close();
    }
    const store = new SqliteStore(join(dir.path, 'observed.sqlite'), { readonly: true });
    try {
      const kept: string[] = [];
      for await (const { transactions } of store.storedBlocks(0)) kept.push(...transactions.map((tx) => tx.envelope.body.sender));
      const theirs = (await client('globex').history('globex-usd')).data.length;
      assert.equal(kept.length, theirs, 'exactly the transactions globex is party to');
      assert.ok(!kept.includes('straits-bank'), 'nothing of a mint globex is not party to');
      assert.equal((await store.head())?.hash, upstream.ledger.engine.head?.hash);
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('refuses a proof that does not hold, naming the block and transaction', async () => {
    const height = await pay('2.00');
    const page = await client('globex').replication(height - 1, 1);
    const entry = page.data[0]!;
    entry.transactions[0]!.result = { status: 'rejected', code: 'insufficient_funds', operation: 0 };
    const dir = tempDir();
    const store = new SqliteStore(join(dir.path, 'observed.sqlite'));
    try {
      const chain = await PartialChain.open(store, upstream.ledger.genesis);
      // Start from the stored head below, as a caught-up observer would.
      for (const { block, transactions } of (await client('globex').replication(0, height - 1)).data) await chain.accept({ block, transactions });
      await assert.rejects(chain.accept(entry), (error: BlockRejectedError) => error.failure.height === height && /result is not at index/.test(error.failure.reason));
      assert.equal(chain.head()?.header.height, height - 1);
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('raises the alarm on a block whose replay disagrees: stops following, keeps the last good state, names the block', async () => {
    const dir = observerDir(upstreamDir.path, 'auditor');
    const running = await observe(dir.path, 'auditor', 60_000);
    try {
      const good = await pay('3.00');
      await running.observer.catchUp();
      const balance = (await client('auditor', running.url!).account('acme-usd')).available;
      const forged = await pay('4.00');
      await forgeResult(upstreamDir.path, forged);
      const status = await running.observer.catchUp();
      assert.equal(status.height, good, 'kept the last block that verified');
      assert.equal(status.alarm?.height, forged);
      assert.equal(status.alarm?.transaction, 0);
      assert.match(status.alarm?.reason ?? '', /replay gives .*committed.*block records .*insufficient_funds/);

      const local = client('auditor', running.url!);
      assert.equal((await local.account('acme-usd')).available, balance, 'the state is the last good one');
      const health = await fetch(`${running.url}/health`);
      assert.equal(health.status, 503);
      assert.equal(((await health.json()) as { status: string }).status, 'alarm');
      const observed = await fetch(`${running.url}/v1/observer`);
      assert.equal(observed.status, 503);
      assert.equal(((await observed.json()) as { alarm: { height: number } }).alarm.height, forged);
      assert.match(await (await fetch(`${running.url}/metrics`)).text(), /^depositum_observer_alarm 1$/m);

      await pay('5.00');
      await running.observer.catchUp();
      assert.equal(running.observer.status.height, good, 'does not follow past the alarm');
    } finally {
      await running.close();
      dir.remove();
    }

    const fresh = observerDir(upstreamDir.path, 'auditor');
    try {
      const check = await runCli(['--data-dir', fresh.path, '--as', 'auditor', 'observe', '--upstream', upstream.url, '--genesis-hash', genesisHash, '--once']);
      assert.equal(check.code, 3, check.output);
      assert.match(check.output, new RegExp(`ALARM: block \\d+, transaction 0 from .* does not verify: replay gives`));
      const wrongGenesis = await runCli(['--data-dir', fresh.path, '--as', 'auditor', 'observe', '--upstream', upstream.url, '--genesis-hash', '00'.repeat(32), '--once']);
      assert.equal(wrongGenesis.code, 2);
      assert.match(wrongGenesis.output, /genesis hashes to/);
    } finally {
      fresh.remove();
    }
  });
});
