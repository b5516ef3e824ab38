import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp from 'amqplib';
import pino from 'pino';
import { formatAmount, parseAmount } from '../../src/core/index.js';
import { bankingModule } from '../../src/modules/banking/index.js';
import { DirectoryInbox } from '../../src/modules/banking/inbox.js';
import { MessageReader } from '../../src/modules/banking/iso20022/reader.js';
import { Reconciler } from '../../src/modules/banking/reconcile.js';
import { amqpSettings, BANKING_CONFIG_VARIABLE, type BankingSettings } from '../../src/modules/banking/settings.js';
import { buildCamt053, buildCamt054, type SimEntry } from '../../src/modules/banking/sim/messages.js';
import type { AnyDatabase } from '../../src/modules/kit/database.js';
import { prepareModule } from '../../src/modules/kit/host.js';
import { KeyStore } from '../../src/node/keystore.js';
import { paths } from '../../src/node/data-dir.js';
import { runNode } from '../../src/node/run.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { processCpuSeconds, processNamed } from '../cpu.js';
import { windowProfiler } from '../drive.js';
import { startModuleProcess, startNode, type NodeProcess } from '../nodes.js';
import { watchStallsAt, watchStalls, type StallWatch } from '../stalls.js';
import { summarize, type Figures } from '../stats.js';

const BROKER = process.env['DEPOSITUM_TEST_AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The official XSDs, when the machine has them beside the project (as its tests do): messages are then validated as in production. */
const XSD_DIR = new URL('../../../shared/data/iso20022/xsd', import.meta.url).pathname;
/** Quorum queues: RabbitMQ's replicated queue type, the one its documentation names where data safety matters (as a bank's deposits do). */
const QUEUE_ARGUMENTS = { 'x-queue-type': 'quorum' };
const OMNIBUS = { id: 'FMB-OMNIBUS-USD', currency: 'USD', bic: 'FMBKUS33XXX' };
const CLIENTS = [['ACME-DDA-4410', 'acme-usd', 'Acme Logistics Inc.'], ['GLOBEX-DDA-7702', 'globex-usd', 'Globex Trading Pte. Ltd.'], ['INITECH-DDA-1200', 'initech-usd', 'Initech Manufacturing GmbH']] as const;
const DEBTOR = { name: 'First Meridian Bank, N.A.', town: 'New York', country: 'US', agentBic: 'FMBKUS33' };

const today = () => new Date().toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The cost of each party to a run, per credit, as a phrase: the node, RabbitMQ and (when it published during the run) this process as the bank. */
interface CpuMeter {
  phrase(credits: number): string;
  nodeSeconds(): number;
}

function cpuMeter(node: NodeProcess, module: NodeProcess | undefined, bankPublishes: boolean): CpuMeter {
  const broker = processNamed('beam.smp');
  const started = { node: node.cpuSeconds(), module: module?.cpuSeconds() ?? 0, broker: processCpuSeconds(broker), bank: process.cpuUsage() };
  const perCredit = (seconds: number, credits: number) => (Number.isNaN(seconds) ? '?' : (seconds * 1e6 / credits).toFixed(0));
  return {
    nodeSeconds: () => node.cpuSeconds() - started.node + (module === undefined ? 0 : module.cpuSeconds() - started.module),
    phrase: (credits) => {
      const bank = process.cpuUsage(started.bank);
      const parties = [`the node ${perCredit(node.cpuSeconds() - started.node, credits)}`];
      if (module !== undefined) parties.push(`the banking module ${perCredit(module.cpuSeconds() - started.module, credits)}`);
      parties.push(`RabbitMQ ${perCredit(processCpuSeconds(broker) - started.broker, credits)}`);
      if (bankPublishes) parties.push(`the bank publishing ${perCredit((bank.user + bank.system) / 1e6, credits)}`);
      return `µs of CPU a credit: ${parties.join(', ')}`;
    },
  };
}

const cents = (amount: string): bigint => {
  const parsed = parseAmount(amount, 2);
  if (!parsed.ok) throw new Error(`not an amount: ${amount}`);
  return parsed.minor;
};

/** camt.054 messages of one credit of 1.00 each, from the linked clients in turn, as the bank sends them. */
function creditNotifications(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const [account, , name] = CLIENTS[i % CLIENTS.length]!;
    const reference = `BENCH${String(i).padStart(10, '0')}`;
    return Buffer.from(buildCamt054(`C54-${reference}`, new Date().toISOString(), OMNIBUS, [{ reference, amount: '1.00', side: 'credit', bookingDate: today(), endToEndId: `E2E-${reference}`, counterparty: { name, account } }]));
  });
}

async function publish(connection: amqp.ChannelModel, queue: string, messages: readonly Buffer[]): Promise<void> {
  const channel = await connection.createConfirmChannel();
  for (const [i, xml] of messages.entries()) {
    channel.sendToQueue(queue, xml, { persistent: true, messageId: `C54-${i}`, contentType: 'application/xml' });
    if (i % 1000 === 999) await channel.waitForConfirms();
  }
  await channel.waitForConfirms();
  await channel.close();
}

/**
 * Deposits through RabbitMQ (quorum queues) to durable mints, end to end: `credits` camt.054 messages
 * (one credit each, as a bank notifies in real time) to the module's queue of a demo node
 * running the banking module, compiled in its own process as in production (this process
 * plays the bank), each validated against its XSD, minted once and acknowledged.
 * Live (banking-credits): published during the run, from the first publish until the last
 * credit is on the ledger; the bank's publishing shares this machine's two cores.
 * Backlog (banking-backlog): published while the node is stopped (a module back from an
 * outage, or the bank on its own machines), from the first mint to the last.
 * Apart (banking-credits-apart, banking-backlog-apart): the module as its own process
 * (`depositum module run banking`, its tables in a SQLite file of its own) beside the node,
 * as a bank runs it to give it a core of its own; for the backlog, the module is the one stopped.
 */
export async function bankingCreditsScenario(options: { credits: number; backlog?: boolean; apart?: boolean; profileDir?: string }): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-banking-'));
  const queues = `depositum.bench.${randomUUID().slice(0, 8)}`;
  const settings: BankingSettings = {
    omnibusAccount: OMNIBUS.id, asset: 'usd-fmb', staff: ['first-meridian'], payout: { format: 'pacs.008', debtor: DEBTOR },
    amqp: { url: BROKER, inQueue: `${queues}.in`, outQueue: `${queues}.out`, failedQueue: `${queues}.failed`, queueArguments: QUEUE_ARGUMENTS },
    ...(existsSync(XSD_DIR) && { xsdDirectory: XSD_DIR }),
  };
  const names = amqpSettings(settings.amqp!);
  const settingsFile = join(dir, 'banking.json');
  writeFileSync(settingsFile, JSON.stringify(settings));
  const apart = options.apart === true;
  const env = { [BANKING_CONFIG_VARIABLE]: settingsFile };
  const profile = options.profileDir === undefined ? {} : { profileDir: options.profileDir };
  const start = () => startNode(dir, { args: apart ? ['--demo'] : ['--demo', '--modules', 'banking'], env, ...profile });
  const startModule = (nodeUrl: string) => startModuleProcess(dir, nodeUrl, 'banking', { participant: 'banking', database: join(dir, 'banking.sqlite'), env, ...profile });
  let node = await start();
  let module = apart ? await startModule(node.url) : undefined;
  const connection = await amqp.connect(BROKER);
  try {
    const client = (participant: string, url = node.url) => new DepositumClient({ url, signer: KeyStore.at(dir).load(participant) });
    const desk = () => client('first-meridian', module?.url ?? node.url);
    await waitForModule(desk());
    for (const [bankAccount, tokenAccount, name] of CLIENTS) await desk().request('POST', '/v1/banking/links', { bankAccount, tokenAccount, holder: { name, town: 'Chicago', country: 'US', agentBic: 'FMBKUS33' } });
    // Polled while the credits are taken: one request, so the polling costs the node little.
    const issued = async () => cents((await client('auditor').asset('usd-fmb')).issued);
    const held = async () => (await Promise.all(CLIENTS.map(async ([, account]) => cents((await client('auditor').account(account)).available)))).reduce((a, b) => a + b, 0n);
    const [issuedBefore, heldBefore] = [await issued(), await held()];
    const messages = creditNotifications(options.credits);
    const target = issuedBefore + BigInt(options.credits) * 100n;
    let started: number;
    let meter: CpuMeter;
    let from = issuedBefore;
    let published = '';
    let stalls: StallWatch;
    let moduleStalls: StallWatch | undefined;
    if (options.backlog === true) {
      // The process that runs the module is stopped while the bank sends: the node itself, or the module's own.
      if (module === undefined) await node.stop();
      else await module.stop();
      await publish(connection, names.inQueue, messages);
      if (module === undefined) node = await start();
      else module = await startModule(node.url);
      for (; (from = await issued()) === issuedBefore; await sleep(5));
      [stalls, moduleStalls] = [await watchStallsAt(node.url), module === undefined ? undefined : await watchStallsAt(module.url)];
      [started, meter] = [performance.now(), cpuMeter(node, module, false)];
    } else {
      [stalls, moduleStalls] = [await watchStallsAt(node.url), module === undefined ? undefined : await watchStallsAt(module.url)];
      [started, meter] = [performance.now(), cpuMeter(node, module, true)];
      await publish(connection, names.inQueue, messages);
      published = `; published in ${((performance.now() - started) / 1000).toFixed(2)} s`;
    }
    let now = from;
    // Until every credit is minted; a minute without progress is a failure, not a wait.
    for (let last = now, progressAt = performance.now(); (now = await issued()) < target; await sleep(options.backlog === true ? 5 : 20)) {
      if (now > last) [last, progressAt] = [now, performance.now()];
      if (performance.now() - progressAt > 60_000) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const heldMs = await stalls.stop();
    const moduleHeldMs = await moduleStalls?.stop();
    const timed = Number((target - from) / 100n);
    const costs = meter.phrase(timed);
    const failed = (await (await connection.createChannel()).checkQueue(names.failedQueue)).messageCount;
    const landed = (await held()) - heldBefore;
    const problem = now !== target ? `minted ${formatAmount(now - issuedBefore, 2)} for ${options.credits} credits`
      : landed !== BigInt(options.credits) * 100n ? `the clients' accounts received ${formatAmount(landed, 2)} for ${options.credits} credits`
        : failed > 0 ? `${failed} messages refused` : null;
    const how = options.backlog === true ? `waiting in the queue when the node started, timed from the first mint (${timed} credits)` : `published during the run${published}`;
    const where = apart ? 'the node and the banking module each in its own process (cpu_s: their CPU time, all threads)' : 'the node and its banking module in their own process (cpu_s: its CPU time, all threads)';
    return summarize({
      scenario: `banking-${options.backlog === true ? 'backlog' : 'credits'}${apart ? '-apart' : ''}`, ops: timed, seconds, latenciesMs: new Float64Array(), cpuS: meter.nodeSeconds(),
      ok: problem === null, problem, target: '≥ 5,000 credits/s', met: (opsPerS) => opsPerS >= 5_000,
      note: `${options.credits} camt.054 through RabbitMQ (quorum queues) to durable mints${settings.xsdDirectory === undefined ? ' (no XSDs at hand: not validated)' : ', each validated against its XSD'}, ${how}; ${where}; ${costs}; the node's event loop held at most ${heldMs.toFixed(0)} ms at a time${moduleHeldMs === undefined ? '' : `, the module's ${moduleHeldMs.toFixed(0)} ms`}`,
    });
  } finally {
    await module?.stop();
    await node.stop();
    const channel = await connection.createChannel();
    for (const queue of [names.inQueue, names.outQueue, names.failedQueue]) await channel.deleteQueue(queue).catch(() => undefined);
    await connection.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Until the node's banking module answers (it starts after the node listens). */
async function waitForModule(client: DepositumClient): Promise<void> {
  for (let tries = 0; ; tries += 1) {
    try {
      await client.request('GET', '/v1/banking/links');
      return;
    } catch (error) {
      if (tries >= 200) throw error;
      await sleep(50);
    }
  }
}

/**
 * A camt.053 of `entries` booked credits reconciled: read on the module's reader thread
 * (parsed, validated against its XSD, normalized) as the module reads it, kept, every
 * entry matched to its mint, the balance set against the supply at the
 * cut-off, the figures attested on the chain. The module's records of the mints are
 * written directly (as 100,000 mints through the ledger would leave them).
 */
/** The entries of the small statement reconciled the day after the large one. */
const NEXT_DAY_ENTRIES = 1_000;

/**
 * One day of `count` credits of 1.00 from the linked clients (entries `first` on): each
 * notified and minted (the module's rows, as if it had taken them), minted 5 s before the
 * cut-off; and the day's camt.053 as the module takes it from the bank's file drop (the
 * bytes of the file, read before the timed window), its closing balance the supply of this
 * day and the days before.
 */
async function statementDay(db: AnyDatabase, day: number, first: number, count: number, cutoff: number, inbox: DirectoryInbox): Promise<{ xml: Buffer; closing: string }> {
  const entries: SimEntry[] = [];
  const credits: Record<string, unknown>[] = [];
  const supply: Record<string, unknown>[] = [];
  for (let i = first; i < first + count; i += 1) {
    const [account, token, name] = CLIENTS[i % CLIENTS.length]!;
    const reference = `STMT${String(i).padStart(10, '0')}`;
    const transaction = `bank-credit:bench-${i}`;
    entries.push({ reference, amount: '1.00', side: 'credit', bookingDate: today(), endToEndId: `E2E-${reference}`, counterparty: { name, account } });
    credits.push({ entry_key: `${OMNIBUS.id}/${reference}`, message_id: `C54-${reference}`, omnibus_account: OMNIBUS.id, bank_account: account, sender_name: name, amount: '1.00', currency: 'USD', end_to_end_id: `E2E-${reference}`, booking_date: today(), status: 'minted', reason: null, detail: null, token_account: token, transaction_id: transaction, received_at_ms: cutoff - 5_000 });
    supply.push({ position: `${1_000_000 + i}:0:0`, time_ms: cutoff - 5_000, kind: 'issued', amount: '1.00', transaction_id: transaction, deposit_reference: reference });
  }
  for (let i = 0; i < credits.length; i += 500) {
    await db.insertInto('banking_credits').values(credits.slice(i, i + 500)).execute();
    await db.insertInto('banking_supply').values(supply.slice(i, i + 500)).execute();
  }
  const [opening, closing] = [`${first}.00`, `${first + count}.00`];
  const id = `STMT-BENCH-${day}`;
  writeFileSync(join(inbox.incoming, `${id}.xml`), buildCamt053(id, { id, sequence: day, from: new Date(cutoff - 86_400_000).toISOString(), to: new Date(cutoff).toISOString() }, OMNIBUS,
    [{ type: 'OPBD', amount: opening, date: today() }, { type: 'CLBD', amount: closing, date: today() }], entries));
  const [taken] = await inbox.take(1);
  await inbox.done(taken!);
  return { xml: taken!.body, closing };
}

export async function bankingReconcileScenario(options: { entries: number }): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-reconcile-'));
  const node = await runNode({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
  const settings: BankingSettings = { omnibusAccount: OMNIBUS.id, asset: 'usd-fmb', inbox: join(dir, 'bank-link'), staff: ['first-meridian'] };
  const prepared = await prepareModule(bankingModule(settings), { sqlite: paths(dir).ledger }, pino({ level: 'silent' }));
  const reader = new MessageReader(existsSync(XSD_DIR) ? XSD_DIR : undefined);
  try {
    const { db } = prepared.services;
    const cutoff = Date.now() - 60_000;
    const inbox = new DirectoryInbox(settings.inbox!);
    const { xml, closing } = await statementDay(db, 1, 0, options.entries, cutoff, inbox);
    const validated = existsSync(XSD_DIR);
    const reconciler = new Reconciler(db, new DepositumClient({ url: node.url, signer: KeyStore.at(dir).load('banking') }), settings, Date.now);
    await reader.read([]); // the reader's thread started, as in a module already running
    const stalls = await watchStalls();
    const stopProfile = await windowProfiler();
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const [read] = await reader.read([xml]);
    if (read === undefined || 'refusal' in read || !('reports' in read.message)) throw new Error(`not a statement: ${JSON.stringify(read)}`);
    const readAt = performance.now();
    const [outcome] = await reconciler.take(read.message, xml);
    await stopProfile?.();
    const heldMs = await stalls.stop();
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    // The next day, a small statement: it sums that day's changes only, not the history before it.
    const nextDay = await statementDay(db, 2, options.entries, NEXT_DAY_ENTRIES, cutoff + 30_000, inbox);
    const nextStarted = performance.now();
    const [nextRead] = await reader.read([nextDay.xml]);
    if (nextRead === undefined || 'refusal' in nextRead || !('reports' in nextRead.message)) throw new Error(`not a statement: ${JSON.stringify(nextRead)}`);
    const nextReadMs = performance.now() - nextStarted;
    const [nextOutcome] = await reconciler.take(nextRead.message, nextDay.xml);
    const nextMs = performance.now() - nextStarted - nextReadMs;
    const problem = outcome?.reconciled === true && outcome.supply === closing ? (nextOutcome?.reconciled === true && nextOutcome.supply === nextDay.closing ? null : `the next day not reconciled: ${JSON.stringify(nextOutcome)}`) : `not reconciled: ${JSON.stringify(outcome)}`;
    return summarize({
      scenario: 'banking-reconcile', ops: options.entries, seconds, latenciesMs: new Float64Array([seconds * 1000]), cpuS: (cpu.user + cpu.system) / 1e6,
      ok: problem === null, problem, target: `${options.entries.toLocaleString('en-US')} entries < 10 s`, met: () => seconds < 10,
      note: `a camt.053 of ${options.entries} entries (${(xml.length / 1e6).toFixed(1)} MB): read${validated ? ' and validated' : ''} on the reader's thread in ${((readAt - started) / 1000).toFixed(2)} s, kept, matched, attested; the node's event loop held at most ${heldMs.toFixed(0)} ms at a time; ${outcome?.attestation ?? 'not attested'}; the next day's statement of ${NEXT_DAY_ENTRIES.toLocaleString('en-US')} entries read in ${nextReadMs.toFixed(0)} ms (a new reader thread), reconciled in ${nextMs.toFixed(0)} ms`,
    });
  } finally {
    await reader.close();
    await prepared.close();
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
