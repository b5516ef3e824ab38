import { genesisReplay, StateCommitment, verifyChain, type Replay } from '../chain/index.js';
import { decodeEntity, encodeEntity, LedgerState, TABLE_NAMES, type Genesis } from '../core/index.js';
import { recordedBlocks, type Snapshot, type StateRow, type Store } from '../store/types.js';

/**
 * A snapshot that does not match the state root its block's header commits to: a row
 * was changed, added or removed, or the recorded snapshot height is wrong. The node
 * refuses to serve from it, naming what differs.
 */
export class StateDamageError extends Error {
  constructor(readonly height: number, readonly entity: string | null, detail: string) {
    super(`the stored state does not match the state root signed in block ${height}: ${detail}`);
    this.name = 'StateDamageError';
  }
}

/**
 * A snapshot's state and its commitment, computed from the very bytes the rows hold; from
 * genesis, also the rows not yet in any snapshot.
 */
export function stateFromSnapshot(genesis: Genesis, snapshot: Snapshot): Replay & { unsnapshotted: StateRow[] } {
  if (snapshot.height === 0) {
    const { rows, ...replay } = genesisReplay(genesis);
    return { ...replay, unsnapshotted: rows };
  }
  const state = new LedgerState();
  const commitment = new StateCommitment();
  for (const row of snapshot.rows) {
    const entity = decodeEntity(row.table, row.body);
    state.table(row.table).set(row.id, entity as never);
    state.track(row.table, row.id, undefined, entity);
    commitment.set(row.table, row.id, row.body);
  }
  state.takeChanges();
  return { state, commitment, unsnapshotted: [] };
}

/** The first difference between a replayed state and stored rows, naming the entity; null when they agree. */
export function stateRowsProblem(state: LedgerState, rows: readonly StateRow[]): { entity: string; detail: string } | null {
  const stored = new Map(rows.map((row) => [`${row.table}/${row.id}`, row.body]));
  for (const table of TABLE_NAMES) {
    for (const [id, entity] of state.table(table)) {
      const key = `${table}/${id}`;
      const body = stored.get(key);
      if (body === undefined) return { entity: key, detail: `${key} is missing from the stored state` };
      if (body !== encodeEntity(table, entity as never)) return { entity: key, detail: `stored ${key} differs from replay` };
      stored.delete(key);
    }
  }
  const extra = stored.keys().next().value;
  return extra === undefined ? null : { entity: extra, detail: `the stored state has ${extra}, which replay does not produce` };
}

/**
 * After a snapshot failed its root: replays the chain up to the snapshot's height and
 * names the first entity whose stored row differs (a damaged chain is named instead).
 */
export async function locateStateDamage(store: Store, genesis: Genesis, snapshot: Snapshot, found: string, signed: string): Promise<StateDamageError> {
  // Rows that are intact but recorded under the wrong height are the state of another block.
  for (let after = 0; ;) {
    const blocks = await store.blocks(after, 500);
    const match = blocks.find((block) => block.header.stateRoot === found);
    if (match !== undefined) return new StateDamageError(snapshot.height, null, `the snapshot says it is the state after block ${snapshot.height}, but its rows are the state after block ${match.header.height}`);
    if (blocks.length < 500) break;
    after = blocks[blocks.length - 1]!.header.height;
  }
  let problem: { entity: string; detail: string } | null = null;
  const report = await verifyChain(genesis, recordedBlocks(store), {
    untilHeight: snapshot.height,
    afterBlock: (height, state) => {
      if (height === snapshot.height) problem = stateRowsProblem(state, snapshot.rows);
    },
  });
  if (report.failure !== null) return new StateDamageError(snapshot.height, null, `and the chain itself fails at block ${report.failure.height}: ${report.failure.reason}`);
  const located = problem as { entity: string; detail: string } | null;
  return new StateDamageError(snapshot.height, located?.entity ?? null, located?.detail ?? `state root ${found.slice(0, 16)}…, signed ${signed.slice(0, 16)}…`);
}
