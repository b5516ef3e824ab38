import TinyQueue from 'tinyqueue';
import type { Account, Allowance, Asset, Hold, Participant } from './types.js';

export type TableName = 'participants' | 'assets' | 'accounts' | 'holds' | 'allowances';

export interface Entities {
  participants: Participant;
  assets: Asset;
  accounts: Account;
  holds: Hold;
  allowances: Allowance;
}

export const TABLE_NAMES: readonly TableName[] = ['participants', 'assets', 'accounts', 'holds', 'allowances'];

interface Deadline {
  readonly atMs: number;
  readonly key: string;
}

/** Deadlines in (time, key) order, so that what falls due together is handled in the same order on every node. */
export function deadlineQueue(): TinyQueue<Deadline> {
  return new TinyQueue<Deadline>([], (a, b) => a.atMs - b.atMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Ids never contain "/", so it separates the two safely (and, unlike NUL, every database stores it). */
export function allowanceKey(asset: string, minter: string): string {
  return `${asset}/${minter}`;
}

/**
 * The whole ledger state, in memory. Only the state machine changes it, one
 * transaction at a time through a Draft; `changed` collects the ids written since the
 * node last persisted, so a block's storage write touches only what the block changed.
 */
export class LedgerState {
  readonly participants = new Map<string, Participant>();
  readonly assets = new Map<string, Asset>();
  readonly accounts = new Map<string, Account>();
  readonly holds = new Map<string, Hold>();
  readonly allowances = new Map<string, Allowance>();
  /** Transaction keys (sender/id) still inside their validity window, with that window's end. */
  readonly transactionKeys = new Map<string, number>();
  readonly holdDeadlines = deadlineQueue();
  readonly transactionKeyDeadlines = deadlineQueue();
  readonly changed: Record<TableName, Set<string>> = emptyChangeSet();
  /** Grows whenever a participant (and so possibly a key) changes: signatures checked under an older version are checked again. */
  participantsVersion = 0;

  table<N extends TableName>(name: N): Map<string, Entities[N]> {
    return this[name] as Map<string, Entities[N]>;
  }

  /** Hands over the ids changed since the last call. */
  takeChanges(): Record<TableName, Set<string>> {
    const taken = { ...this.changed };
    for (const name of TABLE_NAMES) this.changed[name] = new Set();
    return taken;
  }

  addTransactionKey(key: string, validUntilMs: number): void {
    this.transactionKeys.set(key, validUntilMs);
    this.transactionKeyDeadlines.push({ atMs: validUntilMs, key });
  }

  addHoldDeadline(hold: Hold): void {
    this.holdDeadlines.push({ atMs: hold.expiresAtMs, key: hold.id });
  }
}

function emptyChangeSet(): Record<TableName, Set<string>> {
  return { participants: new Set(), assets: new Set(), accounts: new Set(), holds: new Set(), allowances: new Set() };
}

/**
 * The writes of one transaction, kept apart from the state until every operation
 * has succeeded: commit() makes them visible at once, dropping the draft discards
 * them. Entities are immutable, so a write replaces the whole record.
 */
export class Draft {
  private readonly writes = new Map<TableName, Map<string, unknown>>();

  constructor(readonly state: LedgerState) {}

  get<N extends TableName>(name: N, id: string): Entities[N] | undefined {
    const written = this.writes.get(name)?.get(id);
    return written !== undefined ? (written as Entities[N]) : this.state.table(name).get(id);
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
    for (const [name, rows] of this.writes) {
      const table = this.state.table(name) as Map<string, unknown>;
      for (const [id, value] of rows) {
        if (name === 'holds' && !table.has(id)) this.state.addHoldDeadline(value as Hold);
        table.set(id, value);
        this.state.changed[name].add(id);
        if (name === 'participants') this.state.participantsVersion += 1;
      }
    }
    this.writes.clear();
  }
}
