import TinyQueue from 'tinyqueue';
import { entityDefinition, ENTITIES, TABLE_NAMES, type Entities, type TableName } from './entities/index.js';

interface Deadline {
  readonly atMs: number;
  readonly key: string;
}

/** Deadlines in (time, key) order, so that what falls due together is handled in the same order on every node. */
function deadlineQueue(): TinyQueue<Deadline> {
  return new TinyQueue<Deadline>([], (a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A scheduled entity's key in the deadline queue: its table and id. */
function dueKey(table: TableName, id: string): string {
  return `${table}\n${id}`;
}

const NOTHING: ReadonlySet<string> = new Set();

/** The tables found by secondary keys, and how: most have none, and their writes skip this. */
const INDEXED = new Map(ENTITIES.filter((entity) => 'indexBy' in entity && entity.indexBy !== undefined).map((entity) => [entity.table as TableName, (entity as { indexBy: (e: unknown) => readonly string[] }).indexBy]));

type Tables = { readonly [N in TableName]: Map<string, Entities[N]> };

/**
 * The whole ledger state, in memory. Only the state machine changes it, one transaction
 * at a time through a Draft. `changed` collects the ids written since the node last
 * took them (once per block: for the state root and the next snapshot).
 */
// The class and this interface merge: the state has one map per registered entity.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type
export interface LedgerState extends Tables {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class LedgerState {
  /** Transaction keys (sender/id) applied by this state while their validity window is open, with the window's end. */
  readonly transactionKeys = new Map<string, number>();
  readonly transactionKeyDeadlines = deadlineQueue();
  /** Entities the block-time scheduler must look at again, by time. */
  readonly deadlines = deadlineQueue();
  changed: Record<TableName, Set<string>> = emptyChangeSet();
  /** Grows whenever a participant (and so possibly a key) changes: signatures checked under an older version are checked again. */
  participantsVersion = 0;

  constructor() {
    for (const { table } of ENTITIES) (this as unknown as Record<string, Map<string, unknown>>)[table] = new Map();
  }

  table<N extends TableName>(name: N): Map<string, Entities[N]> {
    return this[name] as Map<string, Entities[N]>;
  }

  /** Hands over the ids changed since the last call. */
  takeChanges(): Record<TableName, Set<string>> {
    const taken = this.changed;
    this.changed = emptyChangeSet();
    return taken;
  }

  addTransactionKey(key: string, validUntilMs: number): void {
    this.transactionKeys.set(key, validUntilMs);
    this.transactionKeyDeadlines.push({ atMs: validUntilMs, key });
  }

  /** Secondary keys (an entity's `indexBy`) to the ids found by them, per table: derived, rebuilt as entities load. */
  private readonly indexes = new Map<TableName, Map<string, Set<string>>>();

  /** The ids of `table` found by `key` (see the entity's `indexBy`), as committed. */
  indexed(table: TableName, key: string): ReadonlySet<string> {
    return this.indexes.get(table)?.get(key) ?? NOTHING;
  }

  /** Keeps the scheduler and the secondary keys up to date with an entity written (or loaded) over `before`. */
  track<N extends TableName>(table: N, id: string, before: Entities[N] | undefined, after: Entities[N]): void {
    this.schedule(table, id, after);
    const indexBy = INDEXED.get(table) as ((e: Entities[N]) => readonly string[]) | undefined;
    if (indexBy === undefined) return;
    let index = this.indexes.get(table);
    if (index === undefined) {
      index = new Map();
      this.indexes.set(table, index);
    }
    for (const key of before === undefined ? [] : indexBy(before)) {
      const ids = index.get(key);
      ids?.delete(id);
      if (ids?.size === 0) index.delete(key);
    }
    for (const key of indexBy(after)) {
      let ids = index.get(key);
      if (ids === undefined) {
        ids = new Set();
        index.set(key, ids);
      }
      ids.add(id);
    }
  }

  /** Puts an entity on the scheduler if it has a deadline (called as it is written or loaded). */
  schedule<N extends TableName>(table: N, id: string, entity: Entities[N]): void {
    const atMs = (entityDefinition(table).dueAtMs as ((e: Entities[N]) => number | null) | undefined)?.(entity) ?? null;
    if (atMs !== null) this.deadlines.push({ atMs, key: dueKey(table, id) });
  }

  /**
   * The next scheduled entity due at or before `atMs`, taken off the queue; stale entries
   * (the entity was resolved or rescheduled since) are skipped.
   */
  takeDue(atMs: number): { table: TableName; id: string; dueAtMs: number } | null {
    for (let due = this.deadlines.peek(); due !== undefined && due.atMs <= atMs; due = this.deadlines.peek()) {
      this.deadlines.pop();
      const [table, id] = due.key.split('\n') as [TableName, string];
      if (this.currentDue(table, id) === due.atMs) return { table, id, dueAtMs: due.atMs };
    }
    return null;
  }

  /** When the scheduler must act next, or null: the sequencer cuts a block then, even with nothing to sequence. */
  nextDueMs(): number | null {
    for (let due = this.deadlines.peek(); due !== undefined; due = this.deadlines.peek()) {
      const [table, id] = due.key.split('\n') as [TableName, string];
      if (this.currentDue(table, id) === due.atMs) return due.atMs;
      this.deadlines.pop();
    }
    return null;
  }

  private currentDue(table: TableName, id: string): number | null {
    const entity = this.table(table).get(id);
    const dueAtMs = entityDefinition(table).dueAtMs as ((e: unknown) => number | null) | undefined;
    return entity === undefined || dueAtMs === undefined ? null : dueAtMs(entity);
  }
}

function emptyChangeSet(): Record<TableName, Set<string>> {
  return Object.fromEntries(TABLE_NAMES.map((table) => [table, new Set<string>()])) as Record<TableName, Set<string>>;
}

/**
 * The writes of one transaction (or one operation of a non-atomic one), kept apart from
 * the state until they are kept: commit() makes them visible at once, dropping the draft
 * discards them. Entities are immutable, so a write replaces the whole record.
 */
export class Draft {
  private readonly writes = new Map<TableName, Map<string, unknown>>();

  readonly state: LedgerState;
  private readonly parent: Draft | undefined;

  /** A draft over the state, or over another draft (`parent`): what it writes reaches the parent only at commit. */
  constructor(base: LedgerState | Draft) {
    if (base instanceof Draft) {
      this.state = base.state;
      this.parent = base;
    } else this.state = base;
  }

  get<N extends TableName>(name: N, id: string): Entities[N] | undefined {
    const written = this.writes.get(name)?.get(id);
    if (written !== undefined) return written as Entities[N];
    return this.parent !== undefined ? this.parent.get(name, id) : this.state.table(name).get(id);
  }

  /** How many rows of `name` this draft (and those it is over) adds that the state does not hold yet. */
  added(name: TableName): number {
    let count = 0;
    for (const id of this.writes.get(name)?.keys() ?? []) if (!this.state.table(name).has(id) && (this.parent?.get(name, id) === undefined)) count += 1;
    return count + (this.parent?.added(name) ?? 0);
  }

  /** The ids of `name` this draft (and those it is over) wrote, not yet in the state. */
  writtenIds(name: TableName): Set<string> {
    const ids = this.parent?.writtenIds(name) ?? new Set<string>();
    for (const id of this.writes.get(name)?.keys() ?? []) ids.add(id);
    return ids;
  }

  put<N extends TableName>(name: N, id: string, value: Entities[N]): void {
    let table = this.writes.get(name);
    if (table === undefined) {
      table = new Map();
      this.writes.set(name, table);
    }
    table.set(id, value);
  }

  commit(): void {
    if (this.parent !== undefined) {
      for (const [name, rows] of this.writes) for (const [id, value] of rows) this.parent.put(name, id, value as Entities[typeof name]);
      this.writes.clear();
      return;
    }
    for (const [name, rows] of this.writes) {
      const table = this.state.table(name) as Map<string, unknown>;
      const indexed = INDEXED.has(name);
      for (const [id, value] of rows) {
        const before = indexed ? table.get(id) : undefined;
        table.set(id, value);
        this.state.changed[name].add(id);
        this.state.track(name, id, before as Entities[typeof name] | undefined, value as Entities[typeof name]);
      }
      if (name === 'participants') this.state.participantsVersion += 1;
    }
    this.writes.clear();
  }
}
