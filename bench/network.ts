import { join } from 'node:path';
import { canonicalJson, LocalSigner, newSalt, signTransaction, transactionHash, type TransactionEnvelope } from '../src/chain/index.js';
import { leiWithCheckDigits, type Operation, type ParticipantSpec, type TransactionBody } from '../src/core/index.js';
import { createDemoNetwork, demoSetup, type DemoNetwork } from '../src/node/demo.js';
import type { AdmittedTransaction } from '../src/node/engine.js';
import { Ledger } from '../src/node/ledger.js';
import type { SequencerOptions } from '../src/node/sequencer.js';
import { PostgresStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { seededRandom } from './random.js';

/** The most operations the setup puts in one transaction (the API's own limit). */
export const OPERATIONS_PER_TRANSACTION_MAX = 1000;
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;
export const GATEWAY = 'gateway';

/** A demo network plus payer participants sharing funded USD accounts, and a gateway they all delegate to. */
export interface BenchNetwork {
  network: DemoNetwork;
  owners: LocalSigner[];
  gateway: LocalSigner;
  accounts: { id: string; owner: number }[];
}

export function benchNetwork(accountCount: number, ownerCount: number): BenchNetwork {
  const network = createDemoNetwork('depositum-bench', Date.now());
  const owners = Array.from({ length: ownerCount }, (_, i) => LocalSigner.generate(`payer-${i}`, `payer-${i}-1`));
  const accounts = Array.from({ length: accountCount }, (_, i) => ({ id: `bench-${i}`, owner: i % ownerCount }));
  return { network, owners, gateway: LocalSigner.generate(GATEWAY, `${GATEWAY}-1`), accounts };
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

function client(signer: LocalSigner, name: string, nowMs: number, delegates: string[]): ParticipantSpec {
  return { id: signer.participant, legalName: name, lei: leiWithCheckDigits(`BENCH${String(name.length).padStart(3, '0')}${signer.participant.replace(/[^0-9]/g, '').padStart(10, '0')}`), jurisdiction: 'US', roles: ['client'], kycStatus: 'approved', kycExpiresAtMs: nowMs + YEAR_MS, keys: [{ id: signer.keyId, publicKey: signer.publicKey }], delegates };
}

/** Every setup transaction, signed, in order: the demo, the gateway, the payers, their accounts, their funds. */
export async function setupEnvelopes(bench: BenchNetwork, fundsEach: string): Promise<TransactionEnvelope[]> {
  const { network } = bench;
  const now = Date.now();
  const sign = (sender: string, id: string, operations: Operation[]) => {
    const body: TransactionBody = { network: network.genesis.network, id, sender, validUntilMs: now + 3_600_000, operations, salt: newSalt() };
    return signTransaction(body, [network.signers.get(sender)!]);
  };
  const envelopes = await Promise.all(demoSetup(network, now).map((step) => signTransaction(step.body, [network.signers.get(step.signer)!])));
  envelopes.push(await sign('operator', 'bench-gateway', [{ type: 'register_participant', participant: client(bench.gateway, 'Bench Payment Gateway', now, []) }]));
  const registrations: Operation[] = bench.owners.map((owner, i) => ({ type: 'register_participant', participant: client(owner, `Bench Payer ${i}`, now, [GATEWAY]) }));
  const opens: Operation[] = bench.accounts.map((a) => ({ type: 'open_account', account: a.id, owner: bench.owners[a.owner]!.participant, asset: 'usd-fmb' }));
  const mints: Operation[] = bench.accounts.map((a) => ({ type: 'issue', account: a.id, amount: fundsEach, depositReference: `BENCH-${a.id}` }));
  if (bench.accounts.length > 100_000) envelopes.push(await sign('first-meridian', 'bench-allowance', [{ type: 'configure_minter', asset: 'usd-fmb', minter: 'first-meridian', allowance: '100000000000000.00' }]));
  for (const [i, ops] of chunks(registrations, OPERATIONS_PER_TRANSACTION_MAX).entries()) envelopes.push(await sign('operator', `bench-register-${i}`, ops));
  for (const [i, ops] of chunks(opens, OPERATIONS_PER_TRANSACTION_MAX).entries()) envelopes.push(await sign('operator', `bench-open-${i}`, ops));
  for (const [i, ops] of chunks(mints, OPERATIONS_PER_TRANSACTION_MAX).entries()) envelopes.push(await sign('first-meridian', `bench-mint-${i}`, ops));
  return envelopes;
}

/** Where a benchmark ledger lives: the SQLite file in `dir`, or a schema of its own on PostgreSQL. */
export type BenchStore = { kind: 'sqlite' } | { kind: 'postgres'; url: string; schema: string };

export async function openBenchLedger(bench: BenchNetwork, dir: string, sequencer: Partial<SequencerOptions> = {}, where: BenchStore = { kind: 'sqlite' }, clock?: () => number): Promise<Ledger> {
  const store = where.kind === 'sqlite' ? new SqliteStore(join(dir, 'ledger.sqlite')) : await PostgresStore.open(where.url, { schema: where.schema });
  return Ledger.open({ store, genesis: bench.network.genesis, validators: [bench.network.validator], sequencer, ...(clock !== undefined && { clock }) });
}

/**
 * A signed envelope as admission hands it to the sequencer. In process the benchmarks
 * skip admission's signature check (their own signatures, made moments ago), as the
 * node's verifier threads take that work off the sequencer; the final check verifies them all.
 */
export function admitted(ledger: Ledger, envelope: TransactionEnvelope): AdmittedTransaction {
  return { envelope, hash: transactionHash(envelope.body), canonicalEnvelope: canonicalJson(envelope), signers: new Set(envelope.signatures.map((s) => s.signer)), participantsVersion: ledger.state.participantsVersion };
}

/** Applies the setup through the sequencer, failing loudly if any step does not commit. */
export async function setUp(ledger: Ledger, envelopes: TransactionEnvelope[]): Promise<void> {
  for (const envelope of envelopes) {
    const { block, position } = await ledger.sequencer.enqueue(admitted(ledger, envelope));
    const result = block.transactions[position]!.result;
    if (result.status !== 'committed' || result.rejected !== undefined) throw new Error(`bench setup ${envelope.body.id} failed: ${JSON.stringify(result)}`);
  }
}

/** Draws account indexes: uniform, or skewed so that `hotShare` of draws hit the first `hotFraction` of accounts. */
export function accountPicker(count: number, skew?: { hotFraction: number; hotShare: number }): (random: () => number) => number {
  if (skew === undefined) return (random) => Math.floor(random() * count);
  const hot = Math.max(1, Math.floor(count * skew.hotFraction));
  return (random) => (random() < skew.hotShare ? Math.floor(random() * hot) : hot + Math.floor(random() * (count - hot)));
}

/** Transfer operations of 0.01 between distinct accounts drawn from `seed`. */
export function paymentOperations(bench: BenchNetwork, count: number, seed: number, pick = accountPicker(bench.accounts.length)): { from: number; operation: Operation }[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => {
    const from = pick(random);
    let to = pick(random);
    if (to === from) to = (from + 1) % bench.accounts.length;
    return { from, operation: { type: 'transfer', from: bench.accounts[from]!.id, to: bench.accounts[to]!.id, amount: '0.01' } };
  });
}

/** One signed single-payment transaction per operation, each signed by the payer's own key. */
export async function signedPayments(bench: BenchNetwork, count: number, seed: number, pick?: (random: () => number) => number): Promise<TransactionEnvelope[]> {
  const validUntilMs = Date.now() + 3_600_000;
  const ops = paymentOperations(bench, count, seed, pick);
  return Promise.all(ops.map(({ from, operation }, i) => {
    const owner = bench.owners[bench.accounts[from]!.owner]!;
    return signTransaction({ network: bench.network.genesis.network, id: `pay-${seed}-${i}`, sender: owner.participant, validUntilMs, operations: [operation], salt: newSalt() }, [owner]);
  }));
}

/** Bulk files of `perFile` independent payments, each file signed once by the gateway. */
export async function gatewayFiles(bench: BenchNetwork, files: number, perFile: number, seed: number): Promise<TransactionEnvelope[]> {
  const validUntilMs = Date.now() + 3_600_000;
  const ops = paymentOperations(bench, files * perFile, seed).map((p) => p.operation);
  return Promise.all(chunks(ops, perFile).map((operations, i) =>
    signTransaction({ network: bench.network.genesis.network, id: `file-${seed}-${i}`, sender: GATEWAY, validUntilMs, atomic: false, operations, salt: newSalt() }, [bench.gateway])));
}
