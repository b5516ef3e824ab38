import { join } from 'node:path';
import { LocalSigner, signTransaction, type TransactionEnvelope } from '../src/chain/index.js';
import type { Operation, TransactionBody } from '../src/core/index.js';
import { createDemoNetwork, demoSetup, type DemoNetwork } from '../src/node/demo.js';
import { Ledger } from '../src/node/ledger.js';
import type { SequencerOptions } from '../src/node/sequencer.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { seededRandom } from './random.js';

/** The most operations the setup puts in one transaction (the API's own limit). */
const SETUP_OPERATIONS_MAX = 1000;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** A demo network plus `owners` client participants sharing `accounts` funded USD accounts. */
export interface BenchNetwork {
  network: DemoNetwork;
  owners: LocalSigner[];
  accounts: { id: string; owner: number }[];
}

export function benchNetwork(accountCount: number, ownerCount: number): BenchNetwork {
  const now = Date.now();
  const network = createDemoNetwork('depositum-bench', now);
  const owners = Array.from({ length: ownerCount }, (_, i) => LocalSigner.generate(`payer-${i}`, `payer-${i}-1`));
  const accounts = Array.from({ length: accountCount }, (_, i) => ({ id: `bench-${i}`, owner: i % ownerCount }));
  return { network, owners, accounts };
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** Every setup transaction, signed, in order: the demo, the payers, their accounts, their funds. */
export async function setupEnvelopes(bench: BenchNetwork, fundsEach: string): Promise<TransactionEnvelope[]> {
  const { network } = bench;
  const now = Date.now();
  const sign = (sender: string, id: string, operations: Operation[]) => {
    const body: TransactionBody = { network: network.genesis.network, id, sender, validUntilMs: now + 3_600_000, operations };
    return signTransaction(body, [network.signers.get(sender)!]);
  };
  const envelopes = await Promise.all(demoSetup(network, now).map((step) => signTransaction(step.body, [network.signers.get(step.signer)!])));
  const registrations: Operation[] = bench.owners.map((owner, i) => ({
    type: 'register_participant',
    participant: { id: owner.participant, legalName: `Bench Payer ${i} Ltd`, lei: `BENCH${String(i).padStart(13, '0')}00`, jurisdiction: 'US', roles: ['client'], kycStatus: 'approved', kycExpiresAtMs: now + YEAR_MS, keys: [{ id: owner.keyId, publicKey: owner.publicKey }] },
  }));
  const opens: Operation[] = bench.accounts.map((a) => ({ type: 'open_account', account: a.id, owner: bench.owners[a.owner]!.participant, asset: 'usd-fmb' }));
  const mints: Operation[] = bench.accounts.map((a) => ({ type: 'issue', account: a.id, amount: fundsEach, depositReference: `BENCH-${a.id}` }));
  for (const [i, ops] of chunks(registrations, SETUP_OPERATIONS_MAX).entries()) envelopes.push(await sign('operator', `bench-register-${i}`, ops));
  for (const [i, ops] of chunks(opens, SETUP_OPERATIONS_MAX).entries()) envelopes.push(await sign('operator', `bench-open-${i}`, ops));
  for (const [i, ops] of chunks(mints, SETUP_OPERATIONS_MAX).entries()) envelopes.push(await sign('first-meridian', `bench-mint-${i}`, ops));
  return envelopes;
}

export async function openBenchLedger(bench: BenchNetwork, dir: string, sequencer: Partial<SequencerOptions> = {}): Promise<Ledger> {
  const store = new SqliteStore(join(dir, 'ledger.sqlite'));
  return Ledger.open({ store, genesis: bench.network.genesis, validators: [bench.network.validator], sequencer });
}

/** Applies the setup through the ledger, failing loudly if any step does not commit. */
export async function setUp(ledger: Ledger, envelopes: TransactionEnvelope[]): Promise<void> {
  for (const envelope of envelopes) {
    const outcome = await ledger.submit(envelope, true);
    if (outcome.status !== 'sealed' || outcome.receipt.result.status !== 'committed') throw new Error(`bench setup ${envelope.body.id} failed: ${JSON.stringify(outcome)}`);
  }
}

/** `count` signed single-transfer transactions between random distinct accounts, drawn from `seed`. */
export async function signedPayments(bench: BenchNetwork, count: number, seed: number, pick?: (random: () => number) => number): Promise<TransactionEnvelope[]> {
  const random = seededRandom(seed);
  const draw = pick ?? ((r: () => number) => Math.floor(r() * bench.accounts.length));
  const validUntilMs = Date.now() + 3_600_000;
  const envelopes: TransactionEnvelope[] = [];
  for (let i = 0; i < count; i += 1) {
    const from = bench.accounts[draw(random)]!;
    let to = bench.accounts[draw(random)]!;
    if (to.id === from.id) to = bench.accounts[(bench.accounts.indexOf(from) + 1) % bench.accounts.length]!;
    const owner = bench.owners[from.owner]!;
    const body: TransactionBody = { network: bench.network.genesis.network, id: `pay-${seed}-${i}`, sender: owner.participant, validUntilMs, operations: [{ type: 'transfer', from: from.id, to: to.id, amount: '0.01' }] };
    envelopes.push(await signTransaction(body, [owner]));
  }
  return envelopes;
}
