import { verifyChain, type ChainReport, type RecordedBlock } from '../chain/index.js';
import { encodeEntity, formatAmount, TABLE_NAMES, type LedgerState } from '../core/index.js';
import type { DepositumClient } from '../sdk/index.js';
import { SqliteStore } from '../store/sqlite.js';
import { recordedBlocks, type Store } from '../store/types.js';

export interface VerifyOutcome {
  ok: boolean;
  report: ChainReport;
  /** What differs between the replayed state and the state the node keeps or reports. */
  stateProblem: string | null;
}

/** Compares the state rebuilt by replay with the materialized rows a store keeps. */
function storedStateProblem(state: LedgerState, rows: { table: string; id: string; body: string }[]): string | null {
  const stored = new Map(rows.map((row) => [`${row.table}/${row.id}`, row.body]));
  for (const table of TABLE_NAMES) {
    for (const [id, entity] of state.table(table)) {
      const body = stored.get(`${table}/${id}`);
      if (body === undefined) return `${table}/${id} is missing from the stored state`;
      if (body !== encodeEntity(table, entity)) return `stored ${table}/${id} differs from replay`;
      stored.delete(`${table}/${id}`);
    }
  }
  const extra = stored.keys().next().value;
  return extra === undefined ? null : `stored state has ${extra}, which replay does not produce`;
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

/** Any store, read directly: the whole chain from genesis, then the stored snapshot against the replay. */
export async function verifyStore(store: Store): Promise<VerifyOutcome> {
  const genesis = await store.genesis();
  if (genesis === null) throw new Error(`the ${store.kind} store holds no network`);
  // The stored state is a snapshot as of some block: compare it with the replay at that block.
  const snapshot = await store.snapshot();
  let stateProblem: string | null = null;
  const report = await verifyChain(genesis, recordedBlocks(store), {
    afterBlock: (height, state) => {
      if (height === snapshot.height) stateProblem = storedStateProblem(state, snapshot.rows);
    },
  });
  if (report.failure !== null) stateProblem = null;
  return { ok: report.failure === null && stateProblem === null, report, stateProblem };
}

async function* nodeBlocks(client: DepositumClient): AsyncIterable<RecordedBlock> {
  for (let after = 0; ; ) {
    const page = await client.blocks(after, 500);
    for (const block of page.data) {
      const { complete, data } = await client.blockTransactions(block.header.height);
      if (!complete) throw new Error(`${client.participant} sees only its own transactions; verify with an auditor or operator identity`);
      yield { block, transactions: data.map((tx) => ({ envelope: tx.envelope, result: tx.result })) };
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

/** Online: pulls every block through the API and compares the replayed supply with what the node reports. */
export async function verifyNode(client: DepositumClient, expectedGenesisHash?: string): Promise<VerifyOutcome> {
  const genesis = await client.genesis();
  const report = await verifyChain(genesis, nodeBlocks(client));
  let stateProblem: string | null = null;
  if (expectedGenesisHash !== undefined && report.genesisHash !== expectedGenesisHash) stateProblem = `genesis hash ${report.genesisHash} is not the expected ${expectedGenesisHash}`;
  if (report.failure === null && stateProblem === null) {
    for await (const asset of allAssets(client)) {
      const replayed = report.state.assets.get(asset.id);
      const supply = replayed === undefined ? null : formatAmount(replayed.issuedMinor - replayed.redeemedMinor, replayed.decimals);
      if (supply !== asset.supply) stateProblem = `node reports supply ${asset.supply} of ${asset.id}, replay gives ${supply ?? 'no such asset'}`;
    }
  }
  return { ok: report.failure === null && stateProblem === null, report, stateProblem };
}

export function describeVerification(outcome: VerifyOutcome): string {
  const { report } = outcome;
  if (report.failure !== null) {
    const where = report.failure.transaction === undefined ? `block ${report.failure.height}` : `block ${report.failure.height}, transaction ${report.failure.transaction}`;
    return `chain INVALID at ${where}: ${report.failure.reason} (${report.blocks} blocks verified before it)`;
  }
  if (outcome.stateProblem !== null) return `chain valid: ${report.blocks} blocks, ${report.transactions} transactions, but state does NOT match: ${outcome.stateProblem}`;
  return `chain valid: ${report.blocks} blocks, ${report.transactions} transactions, supply matches (genesis ${report.genesisHash.slice(0, 16)}…, head ${report.headHash?.slice(0, 16) ?? 'none'}…)`;
}
