import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newSalt, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import type { Operation } from '../../src/core/index.js';
import { KeyStore } from '../../src/node/keystore.js';
import { runNode } from '../../src/node/run.js';
import { DepositumClient } from '../../src/sdk/index.js';
import { agreementHash, compileAgreement, type Agreement } from '../../src/modules/trade/agreement.js';
import { drive } from '../drive.js';
import { admitted } from '../network.js';
import { summarize, type Figures } from '../stats.js';
import { withLedger } from './inprocess.js';

/** A trade between Acme and Globex for 100.00 USD: 30% on signing, 60% against the carrier's bill of lading, 10% on Acme's acceptance. */
function agreementOf(i: number): Agreement {
  return {
    id: `t-${i}`, version: 1, buyer: { participant: 'acme', account: 'acme-usd' }, seller: { participant: 'globex', account: 'globex-usd' }, currency: 'USD',
    goods: [{ description: 'wireless earbuds', quantity: '10', unit: 'unit', unitPrice: '10.00' }], incoterms: { rule: 'FOB', place: 'Shenzhen' }, deliveryDate: '2027-03-15',
    milestones: [
      { id: 'signing', shareBp: 3000, evidence: { kind: 'signing' }, deadline: '2027-01-01' },
      { id: 'shipment', shareBp: 6000, evidence: { kind: 'attestation', attester: 'oceanic-lines', documentType: 'bill_of_lading' }, deadline: '2027-03-15' },
      { id: 'delivery', shareBp: 1000, evidence: { kind: 'acceptance' }, deadline: '2027-03-29' },
    ],
    disputeWindowDays: 14, arbiter: 'operator',
  };
}

/** The five signed steps of trade `i`, in order: both signatures, the funding, the bill of lading, the acceptance. */
function lifecycle(i: number): { signer: string; op: Operation }[] {
  const agreement = agreementOf(i);
  const hash = agreementHash(agreement);
  const sign = { type: 'sign_agreement' as const, agreement: agreement.id, version: 1, hash, buyer: 'acme', seller: 'globex' };
  const payment = `${agreement.id}-v1`;
  return [
    { signer: 'acme', op: sign }, { signer: 'globex', op: sign },
    { signer: 'acme', op: compileAgreement(agreement, { payment, decimals: 2 }) },
    { signer: 'oceanic-lines', op: { type: 'attest', payment, tranche: 'shipment', documentType: 'bill_of_lading', documentHash: hash } },
    { signer: 'acme', op: { type: 'approve_conditional', payment, tranche: 'delivery' } },
  ];
}

/**
 * Trades through their whole lifecycle in process: each of `trades` agreements signed by
 * both parties, funded in escrow, released by the carrier's attestation and the buyer's
 * acceptance (five transactions each, the steps of all trades in waves), durable in SQLite.
 * The check: every step committed and the seller holds every trade's price.
 */
export async function tradeScenario(options: { trades: number; inFlight: number }): Promise<Figures> {
  return withLedger(100, 10, async (bench, ledger) => {
    const { network } = bench;
    const validUntilMs = Date.now() + 3_600_000;
    const sign = (signer: string, id: string, operations: Operation[]): Promise<TransactionEnvelope> =>
      signTransaction({ network: network.genesis.network, id, sender: signer, validUntilMs, operations, salt: newSalt() }, [network.signers.get(signer)!]);
    await ledger.sequencer.enqueue(admitted(ledger, await sign('first-meridian', 'trade-funds', [{ type: 'issue', account: 'acme-usd', amount: `${options.trades * 100}.00`, depositReference: 'TRADE-BENCH' }])));
    const before = ledger.state.accounts.get('globex-usd')!.availableMinor;
    const steps = Array.from({ length: options.trades }, (_, i) => lifecycle(i));
    let seconds = 0;
    let cpuS = 0;
    const latencies: number[] = [];
    let committed = 0;
    for (let step = 0; step < 5; step += 1) {
      const wave = await Promise.all(steps.map((s, i) => sign(s[step]!.signer, `t-${i}-${step}`, [s[step]!.op])));
      const run = await drive(ledger, wave.map((envelope) => admitted(ledger, envelope)), options.inFlight);
      seconds += run.seconds;
      cpuS += run.cpuS;
      latencies.push(...run.latenciesMs);
      committed += [...run.acknowledged.values()].filter((r) => r.status === 'committed').length;
    }
    const received = ledger.state.accounts.get('globex-usd')!.availableMinor - before;
    await ledger.close();
    const problem = committed !== options.trades * 5 ? `${options.trades * 5 - committed} steps not committed` : received !== BigInt(options.trades) * 10_000n ? `the seller received ${received} minor units, not ${options.trades * 10_000}` : null;
    return summarize({
      scenario: 'trade', ops: options.trades, seconds, latenciesMs: Float64Array.from(latencies), cpuS, ok: problem === null, problem,
      target: '≥ 2,000 trades/s through the lifecycle', met: (opsPerS) => opsPerS >= 2_000,
      note: `each trade 5 transactions (both signatures, funding in escrow, the bill of lading, the acceptance), ${options.inFlight} in flight per wave; latency is per transaction`,
    });
  });
}

/**
 * From the last evidence to the seller's money, over HTTP: `trades` trades set up on a node
 * (signed, funded, shipped), then each buyer's acceptance sent by one of `clients` clients and
 * timed until its receipt, which carries the release to the seller (autoRelease).
 */
export async function tradeHttpScenario(options: { trades: number; clients: number }): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-trade-'));
  const node = await runNode({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, logLevel: 'silent' });
  try {
    const client = (participant: string) => new DepositumClient({ url: node.url, signer: KeyStore.at(dir).load(participant), session: true });
    const clients = new Map(['acme', 'globex', 'oceanic-lines', 'first-meridian'].map((p) => [p, client(p)]));
    await clients.get('first-meridian')!.submit([{ type: 'issue', account: 'acme-usd', amount: `${options.trades * 100}.00`, depositReference: 'TRADE-HTTP' }]);
    const steps = Array.from({ length: options.trades }, (_, i) => lifecycle(i));
    /** Every trade through `each`, `clients` at a time. */
    const inWaves = async (each: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(Array.from({ length: options.clients }, async () => {
        for (let i = next++; i < options.trades; i = next++) await each(i);
      }));
    };
    for (let step = 0; step < 4; step += 1) await inWaves(async (i) => { await clients.get(steps[i]![step]!.signer)!.submit([steps[i]![step]!.op]); });
    const latencies = new Float64Array(options.trades);
    let released = 0;
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    await inWaves(async (i) => {
      const t = performance.now();
      const outcome = await clients.get('acme')!.submit([steps[i]![4]!.op]);
      latencies[i] = performance.now() - t;
      if (outcome.status === 'sealed' && outcome.receipt.result.status === 'committed') released += 1;
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    const problem = released === options.trades ? null : `${options.trades - released} acceptances did not release`;
    return summarize({
      scenario: 'trade-http', ops: options.trades, seconds, latenciesMs: latencies, cpuS: (cpu.user + cpu.system) / 1e6, ok: problem === null, problem,
      target: 'p99 < 1 s from the last evidence to the seller\'s receipt', met: (_ops, p99) => p99 < 1000,
      note: `${options.trades} trades, the buyer's acceptance (the last evidence) sent by ${options.clients} clients over HTTP with sessions; node and clients in one process`,
    });
  } finally {
    await node.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
