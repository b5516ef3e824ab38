import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { Operation } from '../../src/core/index.js';
import { prepareModule, startModule } from '../../src/modules/kit/host.js';
import type { LedgerModule, ModuleContext } from '../../src/modules/kit/module.js';
import { runStandaloneModule } from '../../src/modules/kit/standalone.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runNode, type RunningNode } from '../../src/node/run.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { eventually, metric, tempDir } from '../helpers.js';

/** A module that follows one event type and notes the accounts it sees opened, per event or a page at a time. */
function watcher(pages: boolean): LedgerModule & { opened: string[] } {
  const opened: string[] = [];
  const note = (account: unknown) => void opened.push(String(account));
  return {
    name: pages ? 'pagewatcher' : 'watcher', description: 'notes account openings', roles: ['compliance'], migrations: {}, eventTypes: ['account_opened'], opened,
    handle: async (event) => note(event.data['account']),
    ...(pages && { handlePage: async (events) => void events.forEach((event) => note(event.data['account'])) }),
  };
}

describe('the module kit: following the feed, and working between reads', () => {
  const dir = tempDir();
  let node: RunningNode;
  const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load(participant) });

  before(async () => {
    node = await runNode({ dataDir: dir.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
    await client('first-meridian').submit([{ type: 'issue', account: 'acme-usd', amount: '100000.00', depositReference: 'DEP-KIT' }]);
  });
  after(async () => {
    await node?.close();
    dir.remove();
  });

  it('gets past thousands of events of other types to the next one it follows, per event and a page at a time', async () => {
    const modules = [watcher(false), watcher(true)];
    const running = await Promise.all(modules.map((module) => runStandaloneModule({
      module, client: client('compliance'), database: { sqlite: join(dir.path, `${module.name}.sqlite`) }, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), runner: { pollMs: 20 },
    })));
    try {
      await eventually('the demo accounts seen', async () => modules.every((module) => module.opened.includes('acme-usd')));
      // More payments in a row than one read of the feed scans (5,000) before it answers an empty page.
      const payments: Operation[] = Array.from({ length: 1000 }, () => ({ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }));
      for (let file = 0; file < 6; file++) await client('acme').submit(payments, { atomic: false });
      await client('operator').submit([{ type: 'open_account', account: 'acme-later', owner: 'acme', asset: 'usd-fmb' }]);
      await eventually('the later account seen', async () => modules.every((module) => module.opened.includes('acme-later')));
      for (const module of modules) assert.equal(module.opened.filter((account) => account === 'acme-later').length, 1, `${module.name} saw it once`);
    } finally {
      await Promise.all(running.map((module) => module.close()));
    }
  });

  it('runs a module\'s work again as soon as it asks (work arrived from outside the feed), not after the runner\'s pause', async () => {
    const rounds: number[] = [];
    let context: ModuleContext | undefined;
    const module: LedgerModule = {
      name: 'waker', description: 'counts its rounds of work', roles: ['compliance'], migrations: {}, eventTypes: ['account_opened'],
      handle: async () => undefined,
      work: async (given) => {
        context = given;
        rounds.push(rounds.length + 1);
      },
    };
    // A pause far longer than the test may take: a second round can only come from the wake.
    const running = await runStandaloneModule({ module, client: client('compliance'), database: { sqlite: join(dir.path, 'waker.sqlite') }, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), runner: { pollMs: 600_000 } });
    try {
      await eventually('the first round', async () => rounds.length === 1);
      context!.wake!();
      await eventually('a round on request', async () => rounds.length === 2);
      context!.wake!();
      context!.wake!();
      await eventually('one more round for two requests made while pausing', async () => rounds.length >= 3);
    } finally {
      await running.close();
    }
  });

  it('follows the feed from within its work when asked: an event committed since the step began is handled before the work goes on', async () => {
    const module = watcher(true);
    let seenAfterFollow: boolean | undefined;
    module.work = async (context) => {
      if (seenAfterFollow !== undefined || !module.opened.includes('acme-usd')) return;
      // Committed after this step followed the feed: not handled yet, until the work asks.
      await client('operator').submit([{ type: 'open_account', account: 'acme-mid-step', owner: 'acme', asset: 'usd-fmb' }]);
      const before = module.opened.includes('acme-mid-step');
      await context.follow!();
      seenAfterFollow = !before && module.opened.includes('acme-mid-step');
    };
    const running = await runStandaloneModule({ module, client: client('compliance'), database: { sqlite: join(dir.path, 'follower.sqlite') }, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), runner: { pollMs: 600_000 } });
    try {
      // The first step follows the whole feed (the demo's accounts), then works: its work opens an account and follows again.
      await eventually('the work done', async () => seenAfterFollow !== undefined);
      assert.equal(seenAfterFollow, true);
      assert.equal(module.opened.filter((account) => account === 'acme-mid-step').length, 1, 'handled once');
    } finally {
      await running.close();
    }
  });

  it('serves its process\'s and its runner\'s metrics to anyone, as the node does, and none of its data', async () => {
    const module = watcher(false);
    const running = await runStandaloneModule({ module, client: client('compliance'), database: { sqlite: join(dir.path, 'metered.sqlite') }, host: '127.0.0.1', port: 0, log: pino({ level: 'silent' }), runner: { pollMs: 20 } });
    try {
      await eventually('the demo accounts seen', async () => module.opened.includes('acme-usd'));
      const text = await eventually('a step done', async () => {
        const response = await fetch(new URL('/metrics', running.url));
        assert.equal(response.status, 200);
        assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
        const body = await response.text();
        return metric(body, 'depositum_module_last_step_seconds{module="watcher"}') > 0 ? body : undefined;
      });
      // The event loop's longest hold since the last read: what an in-process module would cost the sequencer.
      assert.ok(metric(text, 'nodejs_eventloop_lag_max_seconds{module="watcher"}') >= 0);
      assert.ok(metric(text, 'process_resident_memory_bytes{module="watcher"}') > 0);
      // The runner: this process runs the module, it handled the openings it follows, nothing failed.
      assert.equal(metric(text, 'depositum_module_lease_held{module="watcher"}'), 1);
      assert.ok(metric(text, 'depositum_module_events_total{module="watcher"}') >= 1, 'the demo accounts\' openings handled');
      assert.equal(metric(text, 'depositum_module_step_failures_total{module="watcher"}'), 0);
      // Signed requests are still required everywhere else.
      assert.equal((await fetch(new URL('/v1/watcher/anything', running.url))).status, 401);
    } finally {
      await running.close();
    }
  });

  it('says the lease is no longer held once the runner stops and gives it up', async () => {
    const module = watcher(false);
    const registry = new Registry();
    const prepared = await prepareModule(module, { sqlite: join(dir.path, 'stopping.sqlite') }, pino({ level: 'silent' }));
    try {
      const runner = await startModule(prepared, client('compliance'), { pollMs: 20 }, registry);
      const leaseHeld = async () => metric(await registry.metrics(), 'depositum_module_lease_held{module="watcher"}');
      await eventually('the lease held', async () => (await leaseHeld()) === 1);
      await runner.stop();
      assert.equal(await leaseHeld(), 0);
    } finally {
      await prepared.close();
    }
  });

  it('adds a module\'s runner figures to the node\'s metrics when it runs in the node\'s process', async () => {
    const own = tempDir();
    // Signed as a participant of the demo network, as a module in the node's process is.
    const module = { ...watcher(false), name: 'compliance' };
    const inProcess = await runNode({ dataDir: own.path, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent', modules: [module], moduleRunner: { pollMs: 20 } });
    try {
      await eventually('the demo accounts seen', async () => module.opened.includes('acme-usd'));
      const text = await eventually('a step done', async () => {
        const body = await (await fetch(new URL('/metrics', inProcess.url))).text();
        return metric(body, 'depositum_module_last_step_seconds{module="compliance"}') > 0 ? body : undefined;
      });
      assert.equal(metric(text, 'depositum_module_lease_held{module="compliance"}'), 1);
      assert.ok(metric(text, 'depositum_module_events_total{module="compliance"}') >= 1, 'the demo accounts\' openings handled');
      assert.ok(metric(text, 'depositum_block_height') > 0, 'beside the node\'s own');
    } finally {
      await inProcess.close();
      own.remove();
    }
  });
});
