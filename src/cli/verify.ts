import { ChainDataError, sha256Of, verifyChain, type ChainReport, type EntryRecord, type RecordedBlock } from '../chain/index.js';
import { formatAmount, type LedgerState } from '../core/index.js';
import { paths } from '../node/data-dir.js';
import { AttestationCheck, describeAttestations, type AttestationFindings } from './attestations.js';
import type { ObserverStatus } from '../node/observer.js';
import { stateRowsProblem } from '../node/state-load.js';
import type { DepositumClient } from '../sdk/index.js';
import { copyLedger } from '../store/copy.js';
import { PostgresStore } from '../store/postgres.js';
import { SqliteStore } from '../store/sqlite.js';
import { recordedBlocks, type Store } from '../store/types.js';

export interface VerifyOutcome {
  ok: boolean;
  report: ChainReport;
  /** What differs between the replayed state and the state the node keeps or reports. */
  stateProblem: string | null;
  /** Issuers' reconciliation attestations set against the chain: a disagreement fails the verification. */
  attestations: AttestationFindings;
}

/** Each account's history folded into one digest, in chain order: the replay's and the store's must agree. */
class HistoryDigests {
  readonly digests = new Map<string, Buffer>();

  add(entry: EntryRecord): void {
    const line = `${entry.height}:${entry.index}:${entry.n}:${entry.availableAfterMinor}:${entry.heldAfterMinor}`;
    this.digests.set(entry.account, sha256Of(this.digests.get(entry.account) ?? '', line));
  }
}

/** Null when the store's history entries are exactly what replay derives, else the first account whose history differs. */
async function historyProblem(store: Store, replayed: HistoryDigests): Promise<string | null> {
  const stored = new HistoryDigests();
  try {
    for await (const entry of store.allEntries()) stored.add(entry);
  } catch (error) {
    // The entries are not under the chain's roots: a damaged one is a finding, not a crash.
    if (error instanceof ChainDataError) return `the stored history cannot be read: ${error.message}`;
    throw error;
  }
  for (const [account, digest] of replayed.digests) {
    if (!stored.digests.get(account)?.equals(digest)) return `the stored history of ${account} differs from replay`;
  }
  for (const account of stored.digests.keys()) if (!replayed.digests.has(account)) return `the stored history of ${account} has lines replay does not produce`;
  return null;
}

/** Offline: reads the SQLite file directly, trusting nothing but the genesis. */
export async function verifyDataFile(path: string): Promise<VerifyOutcome> {
  const store = new SqliteStore(path, { readonly: true });
  try {
    return await verifyStore(store);
  } finally {
    await store.close();
  }
}

/** Any store, read directly: the whole chain from genesis, then the stored snapshot and history index against the replay. */
export async function verifyStore(store: Store): Promise<VerifyOutcome> {
  const genesis = await store.genesis();
  if (genesis === null) throw new Error(`the ${store.kind} store holds no network`);
  // The stored state is a snapshot as of some block: compare it with the replay at that block.
  const snapshot = await store.snapshot();
  let stateProblem: string | null = null;
  const history = new HistoryDigests();
  const attestations = new AttestationCheck();
  const report = await verifyChain(genesis, recordedBlocks(store), {
    afterBlock: (height, state, records) => {
      attestations.afterBlock(state, records);
      for (const entry of records.entries) history.add(entry);
      if (height === snapshot.height) stateProblem = stateRowsProblem(state, snapshot.rows)?.detail ?? null;
    },
  });
  if (report.failure !== null) stateProblem = null;
  else stateProblem ??= await historyProblem(store, history);
  const findings = attestations.findings();
  return { ok: report.failure === null && stateProblem === null && findings.disagreements.length === 0, report, stateProblem, attestations: findings };
}

async function* nodeBlocks(client: DepositumClient): AsyncIterable<RecordedBlock> {
  for (let after = 0; ; ) {
    const page = await client.blocks(after, 500);
    for (const block of page.data) {
      const { complete, data } = await client.blockTransactions(block.header.height);
      if (!complete) throw new Error(`${client.participant} sees only its own transactions; verify with an auditor or operator identity`);
      yield { block, transactions: data.map((tx) => ({ envelope: tx.envelope!, result: tx.result, signers: tx.signers })) };
      after = block.header.height;
    }
    if (!page.has_more) return;
  }
}

async function* allAssets(client: DepositumClient) {
  for (let after: string | undefined; ; ) {
    const page = await client.assets(after);
    yield* page.data;
    if (!page.has_more || page.data.length === 0) return;
    after = page.data[page.data.length - 1]!.id;
  }
}

async function* allAccounts(client: DepositumClient) {
  for (let after: string | undefined; ; ) {
    const page = await client.accounts(undefined, after);
    yield* page.data;
    if (!page.has_more || page.data.length === 0) return;
    after = page.data[page.data.length - 1]!.id;
  }
}

/** The first difference between what the node serves and the replayed state (supply of every asset, balances of every account). */
async function servedStateProblem(client: DepositumClient, state: LedgerState): Promise<string | null> {
  const served = new Set<string>();
  for await (const asset of allAssets(client)) {
    const replayed = state.assets.get(asset.id);
    const supply = replayed === undefined ? null : formatAmount(replayed.issuedMinor - replayed.redeemedMinor, replayed.decimals);
    if (supply !== asset.supply) return `node reports supply ${asset.supply} of ${asset.id}, replay gives ${supply ?? 'no such asset'}`;
  }
  for await (const account of allAccounts(client)) {
    served.add(account.id);
    const replayed = state.accounts.get(account.id);
    const decimals = replayed === undefined ? 0 : state.assets.get(replayed.asset)?.decimals ?? 0;
    const expected = replayed === undefined ? null : `${formatAmount(replayed.availableMinor, decimals)}/${formatAmount(replayed.heldMinor, decimals)}/${replayed.frozen}`;
    if (`${account.available}/${account.held}/${account.frozen}` !== expected) return `node serves ${account.id} as ${account.available} available, ${account.held} held; replay gives ${expected ?? 'no such account'}`;
  }
  for (const id of state.accounts.keys()) if (!served.has(id)) return `replay has account ${id}, which the node does not serve`;
  return null;
}

/** Online: pulls every block through the API, replays it, then compares what the node serves (supplies and balances) with the replay. */
export async function verifyNode(client: DepositumClient, expectedGenesisHash?: string): Promise<VerifyOutcome> {
  const genesis = await client.genesis();
  const attestations = new AttestationCheck();
  const report = await verifyChain(genesis, nodeBlocks(client), { afterBlock: (_height, state, records) => attestations.afterBlock(state, records) });
  let stateProblem: string | null = null;
  if (expectedGenesisHash !== undefined && report.genesisHash !== expectedGenesisHash) stateProblem = `genesis hash ${report.genesisHash} is not the expected ${expectedGenesisHash}`;
  if (report.failure === null && stateProblem === null) stateProblem = await servedStateProblem(client, report.state);
  const findings = attestations.findings();
  return { ok: report.failure === null && stateProblem === null && findings.disagreements.length === 0, report, stateProblem, attestations: findings };
}

export function describeVerification(outcome: VerifyOutcome): string {
  const { report } = outcome;
  if (report.failure !== null) {
    const where = report.failure.transaction === undefined ? `block ${report.failure.height}` : `block ${report.failure.height}, transaction ${report.failure.transaction}`;
    return `chain INVALID at ${where}: ${report.failure.reason} (${report.blocks} blocks verified before it)`;
  }
  if (outcome.stateProblem !== null) return `chain valid: ${report.blocks} blocks, ${report.transactions} transactions, but state does NOT match: ${outcome.stateProblem}`;
  const attested = describeAttestations(outcome.attestations);
  return [`chain valid: ${report.blocks} blocks, ${report.transactions} transactions, supply matches (genesis ${report.genesisHash.slice(0, 16)}…, head ${report.headHash?.slice(0, 16) ?? 'none'}…)`, ...(attested === null ? [] : [attested])].join('\n');
}

/** Copies the data directory's SQLite ledger to an empty PostgreSQL database and verifies the copy there. */
export async function copyToPostgres(dataDir: string, databaseUrl: string): Promise<{ copied: Awaited<ReturnType<typeof copyLedger>>; outcome: VerifyOutcome }> {
  const source = new SqliteStore(paths(dataDir).ledger, { readonly: true });
  const target = await PostgresStore.open(databaseUrl);
  try {
    const copied = await copyLedger(source, target);
    return { copied, outcome: await verifyStore(target) };
  } finally {
    await source.close();
    await target.close();
  }
}

export function describeObserved(status: ObserverStatus): string {
  const view = status.complete ? 'replayed every transaction' : 'checked every header and the proofs of its own transactions';
  if (status.alarm === null) return `verified ${status.height} blocks from ${status.upstream} (${view}); upstream head ${status.upstreamHeight}`;
  const where = status.alarm.transaction === undefined ? `block ${status.alarm.height}` : `block ${status.alarm.height}, transaction ${status.alarm.transaction}`;
  return `ALARM: ${where} from ${status.upstream} does not verify: ${status.alarm.reason}\nkept the ${status.height} blocks that verified`;
}
