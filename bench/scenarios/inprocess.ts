import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { blockSealProblem, newSalt, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import { checkInvariants, encodeEntity, TABLE_NAMES, type LedgerState, type Operation } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { VALIDATOR_KEY_NAME } from '../../src/node/data-dir.js';
import { correctnessProblem } from '../check.js';
import { drive } from '../drive.js';
import { sql } from '../postgres.js';
import { accountPicker, admitted, benchNetwork, openBenchLedger, setUp, setupEnvelopes, signedPayments, type BenchNetwork, type BenchStore } from '../network.js';
import { summarize, type Figures } from '../stats.js';

export interface InProcessOptions {
  payments: number;
  accounts: number;
  inFlight: number;
  seed: number;
}

/** A fresh directory (or PostgreSQL schema) and demo ledger with funded accounts, removed afterwards. */
export async function withLedger<T>(accounts: number, owners: number, run: (bench: BenchNetwork, ledger: Awaited<ReturnType<typeof openBenchLedger>>, dir: string) => Promise<T>, where: BenchStore = { kind: 'sqlite' }, clock?: () => number): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-'));
  try {
    const bench = benchNetwork(accounts, owners);
    const ledger = await openBenchLedger(bench, dir, { blockIntervalMs: 1 }, where, clock);
    await setUp(ledger, await setupEnvelopes(bench, '10000.00'));
    return await run(bench, ledger, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (where.kind === 'postgres') await dropSchema(where.url, where.schema);
  }
}

const dropSchema = (url: string, schema: string): Promise<void> => sql(url, `DROP SCHEMA IF EXISTS ${schema} CASCADE`);

type PaymentScenario = 'engine' | 'contention' | 'postgres';

async function payments(scenario: PaymentScenario, options: InProcessOptions, target: string, met: (opsPerS: number) => boolean, where: BenchStore = { kind: 'sqlite' }): Promise<Figures> {
  return withLedger(options.accounts, Math.min(100, options.accounts), async (bench, ledger) => {
    const pick = scenario === 'contention' ? accountPicker(bench.accounts.length, { hotFraction: 0.01, hotShare: 0.9 }) : undefined;
    const list = (await signedPayments(bench, options.payments, options.seed, pick)).map((envelope) => admitted(ledger, envelope));
    const run = await drive(ledger, list, options.inFlight);
    const problem = await correctnessProblem(ledger.genesis, ledger.store, run.acknowledged);
    await ledger.close();
    return summarize({
      scenario, ops: list.length, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: run.cpuS,
      ok: problem === null && run.acknowledged.size === list.length, problem, target, met: (opsPerS) => met(opsPerS),
      note: `${options.accounts} accounts${scenario === 'contention' ? ', 90% of payments touch 1% of them' : ''}, ${options.inFlight} in flight, durable in ${where.kind === 'sqlite' ? 'SQLite (synchronous=FULL)' : 'PostgreSQL on this machine (synchronous_commit on)'}`,
    });
  }, where);
}

/** The engine scenario with PostgreSQL as the store, on the same machine. */
export const postgresScenario = (options: InProcessOptions & { databaseUrl: string }) =>
  payments('postgres', options, '≥ 50,000 payments/s', (opsPerS) => opsPerS >= 50_000, { kind: 'postgres', url: options.databaseUrl, schema: `depositum_bench_${process.pid}` });

export const engineScenario = (options: InProcessOptions) => payments('engine', options, '≥ 200,000 payments/s', (opsPerS) => opsPerS >= 200_000);

/** The target is relative to the engine scenario: the orchestrator fills `met` in once both ran. */
export const contentionScenario = (options: InProcessOptions) => payments('contention', options, 'within 20% of engine', () => false);

/** Holds at scale: a third posted in part, a third voided, a third left to expire. */
export async function holdsScenario(options: InProcessOptions): Promise<Figures> {
  return withLedger(options.accounts, Math.min(100, options.accounts), async (bench, ledger) => {
    const count = options.payments - (options.payments % 3);
    const validUntilMs = Date.now() + 3_600_000;
    // Late enough that every hold is signed and placed before it even on a slow day (a hold takes
    // well under 0.5 ms to sign and place; at 0.2 ms a run on a busy host missed it), soon enough not to wait long.
    const expiresSoonMs = Date.now() + 5000 + count / 2;
    const sign = (i: number, suffix: string, operation: Operation, owner = bench.owners[bench.accounts[i % bench.accounts.length]!.owner]!) =>
      signTransaction({ network: bench.network.genesis.network, id: `hold-${i}-${suffix}`, sender: owner.participant, validUntilMs, operations: [operation], salt: newSalt() }, [owner]);
    const placed: Promise<TransactionEnvelope>[] = [];
    const resolved: Promise<TransactionEnvelope>[] = [];
    for (let i = 0; i < count; i += 1) {
      const from = bench.accounts[i % bench.accounts.length]!.id;
      const to = bench.accounts[(i * 7919 + 1) % bench.accounts.length]!.id;
      const expiresAtMs = i % 3 === 2 ? expiresSoonMs : validUntilMs;
      placed.push(sign(i, 'place', { type: 'hold', hold: `h${i}`, from, to: to === from ? bench.accounts[(i + 1) % bench.accounts.length]!.id : to, amount: '0.02', expiresAtMs }));
      if (i % 3 === 0) resolved.push(sign(i, 'post', { type: 'post', hold: `h${i}`, amount: '0.01' }));
      if (i % 3 === 1) resolved.push(sign(i, 'void', { type: 'void', hold: `h${i}` }));
    }
    const phaseA = (await Promise.all(placed)).map((envelope) => admitted(ledger, envelope));
    const phaseB = (await Promise.all(resolved)).map((envelope) => admitted(ledger, envelope));
    const a = await drive(ledger, phaseA, options.inFlight);
    const b = await drive(ledger, phaseB, options.inFlight);
    // The third left alone expires when the sequencer reaches its time: bring it forward by waiting.
    while (Date.now() < expiresSoonMs + 50) await sleep(Math.min(1000, expiresSoonMs + 50 - Date.now()));
    await ledger.sequencer.enqueue(admitted(ledger, await sign(0, 'tick', { type: 'transfer', from: bench.accounts[0]!.id, to: bench.accounts[1]!.id, amount: '0.01' })));
    const statuses = new Map<string, number>();
    for (let i = 0; i < count; i += 1) {
      const status = ledger.state.holds.get(`h${i}`)?.status ?? 'missing';
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    const third = count / 3;
    const expected = statuses.get('posted') === third && statuses.get('voided') === third && statuses.get('expired') === third;
    const acknowledged = new Map([...a.acknowledged, ...b.acknowledged]);
    const problem = (await correctnessProblem(ledger.genesis, ledger.store, acknowledged)) ?? (expected ? null : `hold outcomes ${JSON.stringify([...statuses])}`);
    await ledger.close();
    const latenciesMs = new Float64Array([...a.latenciesMs, ...b.latenciesMs]);
    return summarize({
      scenario: 'holds', ops: phaseA.length + phaseB.length, seconds: a.seconds + b.seconds, latenciesMs, cpuS: a.cpuS + b.cpuS,
      ok: problem === null, problem, target: '≥ 100,000 ops/s', met: (opsPerS) => opsPerS >= 100_000,
      note: `${count} holds: a third posted in part, a third voided, a third expired by the sequencer`,
    });
  });
}

/**
 * Conditional payments: each locked toward a payee on a carrier's bill of lading, then
 * released automatically by the attestation. Ops are the creations plus the attestations.
 */
export async function conditionalScenario(options: InProcessOptions): Promise<Figures> {
  return withLedger(options.accounts, Math.min(100, options.accounts), async (bench, ledger) => {
    const count = options.payments;
    const validUntilMs = Date.now() + 3_600_000;
    const carrier = bench.network.signers.get('oceanic-lines')!;
    const documentHash = 'e'.repeat(64);
    const created: Promise<TransactionEnvelope>[] = [];
    const attested: Promise<TransactionEnvelope>[] = [];
    for (let i = 0; i < count; i += 1) {
      const account = bench.accounts[i % bench.accounts.length]!;
      const owner = bench.owners[account.owner]!;
      const to = bench.accounts[(i * 7919 + 1) % bench.accounts.length]!.id;
      const payment = `c${i}`;
      created.push(signTransaction({ network: bench.network.genesis.network, id: `cp-${i}`, sender: owner.participant, validUntilMs, salt: newSalt(), operations: [{
        type: 'conditional_payment', payment, from: account.id, to: to === account.id ? bench.accounts[(i + 1) % bench.accounts.length]!.id : to, amount: '0.02',
        deadlineMs: validUntilMs, autoRelease: true, tranches: [{ tranche: 'shipment', amount: '0.02', attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] }],
      }] }, [owner]));
      attested.push(signTransaction({ network: bench.network.genesis.network, id: `bl-${i}`, sender: carrier.participant, validUntilMs, salt: newSalt(), operations: [{ type: 'attest', payment, tranche: 'shipment', documentType: 'bill_of_lading', documentHash }] }, [carrier]));
    }
    const a = await drive(ledger, (await Promise.all(created)).map((envelope) => admitted(ledger, envelope)), options.inFlight);
    const b = await drive(ledger, (await Promise.all(attested)).map((envelope) => admitted(ledger, envelope)), options.inFlight);
    let completed = 0;
    for (let i = 0; i < count; i += 1) if (ledger.state.conditional_payments.get(`c${i}`)?.status === 'completed') completed += 1;
    const acknowledged = new Map([...a.acknowledged, ...b.acknowledged]);
    const problem = (await correctnessProblem(ledger.genesis, ledger.store, acknowledged)) ?? (completed === count ? null : `${count - completed} of ${count} payments not released`);
    await ledger.close();
    return summarize({
      scenario: 'conditional', ops: count * 2, seconds: a.seconds + b.seconds, latenciesMs: new Float64Array([...a.latenciesMs, ...b.latenciesMs]), cpuS: a.cpuS + b.cpuS,
      ok: problem === null, problem, target: '≥ 20,000 ops/s', met: (opsPerS) => opsPerS >= 20_000,
      note: `${count} conditional payments created, then each released automatically by the carrier's attestation`,
    });
  });
}

/**
 * Settlements of `legs` legs (2: a PvP-like exchange between two accounts; 4: a ring of
 * four), each proposed, allocated and approved by its parties and settled, in one
 * transaction signed by every party (what a platform acting for them submits). Ops are settlements.
 */
export async function settlementScenario(options: InProcessOptions & { legs: 2 | 4 }): Promise<Figures> {
  return withLedger(options.accounts, Math.min(100, options.accounts), async (bench, ledger) => {
    const count = options.payments;
    const validUntilMs = Date.now() + 3_600_000;
    const envelopes: Promise<TransactionEnvelope>[] = [];
    for (let i = 0; i < count; i += 1) {
      // Accounts of distinct owners, so each leg needs its own party's consent.
      const accounts = Array.from({ length: options.legs }, (_, k) => bench.accounts[(i * options.legs + k * 101) % bench.accounts.length]!);
      const owners = [...new Set(accounts.map((a) => bench.owners[a.owner]!))];
      const id = `s${i}`;
      const legs = accounts.map((a, k) => ({ from: a.id, to: accounts[(k + 1) % accounts.length]!.id, amount: '0.01' }));
      const operations: Operation[] = [
        { type: 'propose_settlement', settlement: id, legs, deadlineMs: validUntilMs },
        ...legs.flatMap((_, k): Operation[] => [{ type: 'allocate_settlement', settlement: id, leg: k }, { type: 'approve_settlement', settlement: id, leg: k }]),
        { type: 'settle', settlement: id },
      ];
      envelopes.push(signTransaction({ network: bench.network.genesis.network, id: `settle-${i}`, sender: owners[0]!.participant, validUntilMs, salt: newSalt(), operations }, owners));
    }
    const run = await drive(ledger, (await Promise.all(envelopes)).map((envelope) => admitted(ledger, envelope)), options.inFlight);
    let settled = 0;
    for (let i = 0; i < count; i += 1) if (ledger.state.settlements.get(`s${i}`)?.status === 'settled') settled += 1;
    const problem = (await correctnessProblem(ledger.genesis, ledger.store, run.acknowledged)) ?? (settled === count ? null : `${count - settled} of ${count} settlements did not settle`);
    await ledger.close();
    return summarize({
      scenario: `settlement-${options.legs}`, ops: count, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: run.cpuS,
      ok: problem === null, problem, target: '≥ 10,000 settlements/s', met: (opsPerS) => opsPerS >= 10_000,
      note: `${count} settlements of ${options.legs} legs, each proposed, allocated, approved and settled in one transaction signed by its parties`,
    });
  });
}

function dump(state: LedgerState): string {
  return TABLE_NAMES.map((t) => [...state.table(t)].map(([id, e]) => `${id}=${encodeEntity(t, e)}`).sort().join('\n')).join('\n');
}

/**
 * Recovery: a ledger with `payments` committed transactions stops without a clean
 * shutdown (no final snapshot), and is opened again; timed until it is ready to sequence.
 */
export async function recoveryScenario(options: InProcessOptions): Promise<Figures> {
  return withLedger(options.accounts, Math.min(100, options.accounts), async (bench, ledger, dir) => {
    const list = (await signedPayments(bench, options.payments, options.seed)).map((envelope) => admitted(ledger, envelope));
    const run = await drive(ledger, list, options.inFlight);
    const before = { head: ledger.engine.head, state: dump(ledger.state) };
    await ledger.sequencer.stop();
    await ledger.store.close(); // as after kill -9: the last snapshot is whatever the last due one was

    const cpu = process.cpuUsage();
    const started = performance.now();
    const reopened = await openBenchLedger(bench, dir);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const head = reopened.engine.head;
    const seal = head === null ? 'no head' : blockSealProblem(head, bench.network.genesis.validators);
    const violations = checkInvariants(reopened.state);
    const problem = seal ?? (head?.hash !== before.head?.hash ? 'head differs after restart'
      : dump(reopened.state) !== before.state ? 'state differs after restart'
        : violations.length > 0 ? `invariants: ${violations[0]!.invariant}` : run.acknowledged.size !== list.length ? 'not every payment was acknowledged' : null);
    await reopened.close();
    return summarize({
      scenario: 'recovery', ops: list.length, seconds, latenciesMs: new Float64Array([seconds * 1000]), cpuS: (used.user + used.system) / 1e6,
      ok: problem === null, problem, target: 'ready in < 10 s', met: () => seconds < 10,
      note: `restart after ${list.length} committed transactions (${head?.header.height ?? 0} blocks) without a final snapshot; checked: head seal, head hash, whole state, invariants. ops/s here is transactions recovered per second`,
    });
  });
}

/** What a fresh process holding the ledger in `dir` uses (bench/hold.ts). */
function holdingProcess(dir: string): { accounts: number; rss_mb: number; heap_mb: number } {
  const script = new URL('../hold.ts', import.meta.url).pathname;
  const output = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', script, dir], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop()!) as { accounts: number; rss_mb: number; heap_mb: number };
}

/**
 * Memory: `accounts` funded accounts and a run of payments among them; then a fresh
 * process opens the ledger, and its resident size is what holding them costs (the
 * building process's peak is reported too, setup transients included).
 */
export async function memoryScenario(options: InProcessOptions): Promise<Figures> {
  return withLedger(options.accounts, Math.min(1000, options.accounts), async (bench, ledger, dir) => {
    const list = (await signedPayments(bench, options.payments, options.seed)).map((envelope) => admitted(ledger, envelope));
    const run = await drive(ledger, list, options.inFlight);
    const invariantsHold = checkInvariants(ledger.state).length === 0;
    await ledger.close();
    KeyStore.at(dir).save(VALIDATOR_KEY_NAME, bench.network.validator);
    writeFileSync(join(dir, 'genesis.json'), JSON.stringify(bench.network.genesis));
    const held = holdingProcess(dir);
    const problem = held.accounts < options.accounts ? `the reopened ledger holds ${held.accounts} accounts` : invariantsHold ? null : 'invariants broken';
    const figures = summarize({
      scenario: 'memory', ops: list.length, seconds: run.seconds, latenciesMs: run.latenciesMs, cpuS: run.cpuS,
      ok: problem === null && run.acknowledged.size === list.length, problem, target: `${options.accounts} accounts held in < 1 GiB RSS`, met: (_ops) => false,
      note: `a fresh process holding ${held.accounts} accounts: ${held.rss_mb} MB resident (${held.heap_mb} MB of JavaScript heap); rss_mb is the building process's peak`,
    });
    return { ...figures, held_mb: held.rss_mb, met: figures.ok && held.rss_mb < 1024 };
  });
}
