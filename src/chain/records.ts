import type { AppliedEvent, TransactionBody, TransactionEvent } from '../core/index.js';

/**
 * Where an event stands in the chain, totally ordered: its block, then `index` (0 for
 * what happened at the block's start, before its transactions: expiries; k for the
 * transaction at position k − 1), then its order within that. Written "height:index:n".
 */
export interface EventPosition {
  height: number;
  index: number;
  n: number;
}

export function formatPosition(position: EventPosition): string {
  return `${position.height}:${position.index}:${position.n}`;
}

export function parsePosition(text: string): EventPosition | null {
  const match = /^([0-9]{1,15}):([0-9]{1,7}):([0-9]{1,7})$/.exec(text);
  return match === null ? null : { height: Number(match[1]), index: Number(match[2]), n: Number(match[3]) };
}

export function comparePositions(a: EventPosition, b: EventPosition): number {
  return a.height - b.height || a.index - b.index || a.n - b.n;
}

/** The transaction an event came from, as its signed body and result name it. */
export interface TransactionRef {
  hash: string;
  position: number;
  id: string;
  sender: string;
  reference?: string;
  memo?: string;
  signers: string[];
}

/**
 * A domain event as the chain derives and keeps it. Who may see it follows from what it
 * names (its participants, the owners of its accounts, its transaction's sender and
 * signers), never from a stored list of viewers.
 */
export interface EventRecord extends EventPosition {
  type: string;
  /** Its block's time (the header's, so signed). */
  timeMs: number;
  /** The operation of its transaction it came from; null for the transaction as a whole or the block's start. */
  operation: number | null;
  transaction: TransactionRef | null;
  accounts: string[];
  participants: string[];
  data: Record<string, unknown>;
}

/** One line of an account's history: an event that named it, and its balances right after. */
export interface EntryRecord extends EventPosition {
  account: string;
  availableAfterMinor: bigint;
  heldAfterMinor: bigint;
}

export interface BlockRecords {
  events: EventRecord[];
  entries: EntryRecord[];
}

/**
 * Turns what the state machine reports for a block into its records, in chain order. The
 * sequencer, every follower, observer and the verifier derive them with this one function,
 * so they agree.
 */
export class BlockRecorder {
  private readonly records: BlockRecords = { events: [], entries: [] };

  constructor(private readonly height: number, private readonly timeMs: number) {}

  /** What the scheduler did at the block's start. */
  blockStart(events: readonly AppliedEvent[]): void {
    this.add(0, null, events.map((applied) => ({ ...applied, operation: null })));
  }

  transaction(position: number, body: TransactionBody, hash: string, signers: readonly string[], events: readonly TransactionEvent[]): void {
    const ref: TransactionRef = {
      hash, position, id: body.id, sender: body.sender,
      ...(body.reference !== undefined && { reference: body.reference }), ...(body.memo !== undefined && { memo: body.memo }),
      signers: [...signers],
    };
    this.add(position + 1, ref, events);
  }

  take(): BlockRecords {
    return this.records;
  }

  // Written without spreads or copies: this runs for every event of every block.
  private add(index: number, transaction: TransactionRef | null, events: readonly TransactionEvent[]): void {
    const { height, timeMs } = this;
    for (let n = 0; n < events.length; n += 1) {
      const { event, balances, operation } = events[n]!;
      this.records.events.push({
        height, index, n, type: event.type, timeMs, operation, transaction,
        accounts: event.accounts as string[], participants: event.participants as string[], data: event.data as Record<string, unknown>,
      });
      for (const balance of balances) this.records.entries.push({ height, index, n, account: balance.account, availableAfterMinor: balance.availableMinor, heldAfterMinor: balance.heldMinor });
    }
  }
}
