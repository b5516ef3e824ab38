import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { KeyStore } from '../src/node/keystore.js';
import { DepositumClient } from '../src/sdk/index.js';
import { tempDir } from './helpers.js';
import { CLI_ENTRY, startNodeProcess } from './process.js';

const run = promisify(execFile);

/** The command lines of one of the README's tours, exactly as a reader would type them. */
/** A tour's commands; a line ending in `|| true` is one the ledger is meant to refuse (exit status 1). */
function tourCommands(name = 'tour'): { args: string[]; refused: boolean }[] {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const tour = new RegExp(`<!-- ${name}:start -->([\\s\\S]*?)<!-- ${name}:end -->`).exec(readme)?.[1];
  assert.ok(tour, `README has the ${name} tour`);
  return tour.split('\n').filter((line) => line.startsWith('./bin/depositum ')).map((line) => {
    const refused = line.endsWith(' || true');
    // Words as a shell splits them here: a double-quoted word may hold spaces.
    const words = [...line.replace(/ \|\| true$/, '').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
    return { args: words.slice(1), refused };
  });
}

/** Runs a tour's commands in order against the node of `dataDir`; their outputs. */
async function runTour(name: string, dataDir: string, show: (line: string) => void): Promise<string[]> {
  const outputs: string[] = [];
  for (const { args, refused } of tourCommands(name)) {
    const { stdout } = await run(process.execPath, [CLI_ENTRY, ...args], { env: { ...process.env, DEPOSITUM_DATA_DIR: dataDir } }).catch((error: { code?: number; stdout: string; stderr: string }) => {
      // Refused by the ledger, as the tour says it will be: exit status 1, and the output says why.
      if (refused && error.code === 1) return { stdout: error.stdout };
      throw new Error(`depositum ${args.join(' ')} failed (exit ${String(error.code)}):\n${error.stdout}${error.stderr}`);
    });
    outputs.push(stdout);
    show(`$ depositum ${args.join(' ')}\n${stdout.trimEnd()}`);
  }
  return outputs;
}

describe('the README tour', () => {
  it('names no port: the CLI finds the node it started, on whatever port', () => {
    assert.doesNotMatch(tourCommands().flatMap((c) => c.args).join(' '), /127\.0\.0\.1|localhost|--url/);
  });

  it('works as written', async (t) => {
    const dir = tempDir();
    const node = await startNodeProcess(dir.path);
    try {
      const outputs = await runTour('tour', dir.path, (line) => t.diagnostic(line));
      const auditor = new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('auditor') });
      assert.equal((await auditor.account('acme-usd')).available, '644000.00');
      assert.equal((await auditor.account('globex-usd')).available, '256000.00');
      assert.equal((await auditor.account('acme-usd')).held, '0.00');
      const usd = (await auditor.assets()).data.find((a) => a.id === 'usd-fmb');
      assert.deepEqual([usd?.issued, usd?.redeemed, usd?.supply], ['1000000.00', '100000.00', '900000.00']);
      const text = outputs.join('\n');
      assert.match(text, /receipt: VALID/);
      assert.equal(text.match(/chain valid: \d+ blocks, \d+ transactions, supply matches/g)?.length, 2);
    } finally {
      await node.stop();
      dir.remove();
    }
  });
});

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

/** Runs the README tour `name` on a fresh demo node, then `check` as the auditor sees the ledger; the node stops whatever happens. */
async function tourOnNode(t: { diagnostic(line: string): void }, name: string, check: (outputs: string[], auditor: DepositumClient) => Promise<void>): Promise<void> {
  assert.doesNotMatch(tourCommands(name).flatMap((c) => c.args).join(' '), /127\.0\.0\.1|localhost|--url/);
  const dir = tempDir();
  const node = await startNodeProcess(dir.path);
  try {
    const outputs = await runTour(name, dir.path, (line) => t.diagnostic(line));
    await check(outputs, new DepositumClient({ url: node.url, signer: KeyStore.at(dir.path).load('auditor') }));
  } finally {
    await node.stop();
    dir.remove();
  }
}

describe('the README conditional payments tour', () => {
  it('works as written', (t) => tourOnNode(t, 'conditional', async (outputs, auditor) => {
    assert.deepEqual([(await auditor.account('acme-usd')).available, (await auditor.account('acme-usd')).held], ['6000.00', '0.00']);
    assert.equal((await auditor.account('globex-usd')).available, '94000.00');
    const payment = await auditor.conditionalPayment('po-7');
    assert.deepEqual([payment.status, payment.released, payment.awarded, payment.locked], ['completed', '90000.00', '4000.00', '0.00']);
    assert.match(outputs[1]!, /simulated: would commit[\s\S]*tranche_released[\s\S]*acme-usd\s+0\.00\s+70,000\.00/);
    assert.match(outputs[3]!, /shipment\s+60,000\.00\s+pending\s+bill_of_lading from oceanic-lines/);
  }));
});

describe('the README settlements tour', () => {
  it('works as written: a DvP of the demo bond and a USD/SGD PvP', (t) => tourOnNode(t, 'settlement', async (outputs, auditor) => {
    const available = async (account: string) => (await auditor.account(account)).available;
    assert.deepEqual(await Promise.all(['acme-bond', 'acme-usd', 'acme-sgd', 'globex-bond', 'globex-usd', 'globex-sgd'].map(available)), ['1000', '0.00', '6750.00', '0', '990000.00', '0.00']);
    assert.deepEqual([(await auditor.settlement('dvp-1')).status, (await auditor.settlement('fx-1')).status], ['settled', 'settled']);
    assert.match(outputs[5]!, /waiting for: globex to allocate leg 0; globex to approve leg 1/);
  }));
});

describe('the README payments at par tour', () => {
  it('works as written: two US dollar banks, a cap, the net settlement report', (t) => tourOnNode(t, 'par', async (outputs, auditor) => {
    const available = async (account: string) => (await auditor.account(account)).available;
    assert.deepEqual(await Promise.all(['acme-usd', 'globex-usd-scb', 'first-meridian-usd', 'straits-bank-usd-scb'].map(available)), ['5900000.00', '3100000.00', '12100000.00', '7900000.00']);
    assert.match(outputs[6]!, /usd-fmb\s+USD\s+first-meridian\s+first-meridian-usd\s+none[\s\S]*usd-scb\s+USD\s+straits-bank\s+straits-bank-usd-scb\s+5,000,000\.00/);
    assert.match(outputs[9]!, /rejected: par_cap_exceeded[\s\S]*would owe straits-bank 5100000\.00 net today/);
    assert.match(outputs[10]!, /USD\s+first-meridian\s+straits-bank\s+2,500,000\.00\s+400,000\.00\s+2\s+first-meridian\s+2,100,000\.00/);
    const report = await auditor.netSettlement();
    assert.deepEqual(report.positions.map((p) => [p.bankA, p.bankB, p.aOwesB, p.bOwesA, p.payer, p.net]), [['first-meridian', 'straits-bank', '2500000.00', '400000.00', 'first-meridian', '2100000.00']]);
    assert.equal(report.final, false);
  }));
});

describe('the README maker-checker tour', () => {
  it('works as written: a payment held for the treasurer, a daily limit, the duty officer', (t) => tourOnNode(t, 'policies', async (outputs, auditor) => {
    assert.deepEqual([(await auditor.account('acme-usd')).available, (await auditor.account('globex-usd')).available, (await auditor.account('initech-usd')).available], ['2250000.00', '750000.00', '0.00']);
    assert.match(outputs[2]!, /globex-usd: match/);
    assert.match(outputs[3]!, /held back by a policy: waits for approval as proposal-1/);
    assert.match(outputs[4]!, /proposal-1\s+acme\s+pending\s+pay 750000\.00 from acme-usd to …\s+1 more of acme-treasurer/);
    assert.match(outputs[6]!, /rejected: daily_limit_exceeded[\s\S]*paid 750000\.00 today/);
    assert.match(outputs[7]!, /spent today 750,000\.00/);
    const [held, unfrozen] = [await auditor.proposal('proposal-1'), await auditor.proposal('proposal-2')];
    assert.deepEqual([held.status, held.approvals, unfrozen.status, unfrozen.proposer, unfrozen.approvals], ['executed', ['acme-treasurer'], 'executed', 'operator', ['duty-officer']]);
    assert.equal((await auditor.account('acme-usd')).frozen, false);
  }));
});

describe('the README standing instructions tour', () => {
  it('works as written', (t) => tourOnNode(t, 'instructions', async (outputs, auditor) => {
    assert.match(outputs[3]!, /simulated: would commit[\s\S]*month-end\s+moves 750,000\.00[\s\S]*month-end\s+nothing to move[\s\S]*acme-reserve\s+750,000\.00/);
    assert.match(outputs[6]!, /conflict \(cycle\): floor, month-end move money around/);
    // The split runs at the start of the block after Globex's payment: the sequencer cuts it at once.
    for (const deadline = Date.now() + 60_000; (await auditor.account('initech-usd')).available !== '15000.00'; await new Promise((resolve) => setTimeout(resolve, 20))) {
      assert.ok(Date.now() < deadline, 'the split never ran');
    }
    assert.equal((await auditor.account('acme-usd')).available, '1135000.00');
    const { data } = await auditor.instructions({ owner: 'acme' });
    assert.deepEqual(data.map((i) => [i.id, i.status]), [['floor', 'cancelled'], ['month-end', 'active'], ['rent', 'active'], ['royalties', 'active']]);
    assert.equal(data.find((i) => i.id === 'royalties')!.runs, 1);
  }));
});
