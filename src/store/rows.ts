import { ChainDataError, type EntryRecord, type EventPosition, type EventRecord, type SignedBlock, type TransactionRef } from '../chain/index.js';
import type { HistoryLine, HistoryQuery } from './types.js';

/**
 * A transaction's place as one integer, height · 2^20 + position: rows are appended in
 * key order, which is the cheapest insert a B-tree has. Blocks hold fewer than 2^20
 * transactions (the sequencer's limit is far lower).
 */
export const POSITIONS_PER_BLOCK = 2 ** 20;
export const seqOf = (height: number, position: number): number => height * POSITIONS_PER_BLOCK + position;
/** An event's block and index as one integer, the same way (index 0: the block's start; k: transaction k − 1). */
export const entrySeq = (position: Pick<EventPosition, 'height' | 'index'>): number => seqOf(position.height, position.index);

export function positionOf(seq: number, n: number): EventPosition {
  return { height: Math.floor(seq / POSITIONS_PER_BLOCK), index: seq % POSITIONS_PER_BLOCK, n };
}
/** How many blocks a reader fetches at a time. */
export const BLOCKS_PAGE = 256;

/**
 * The range of hashes starting with a lower-case hex prefix, as bounds both stores' hash
 * indexes can seek: every such hash sorts at or after `low` and before `high`.
 */
export function hashPrefixRange(prefix: string): { low: string; high: string } {
  if (!/^[0-9a-f]{1,64}$/.test(prefix)) throw new RangeError(`not a hex prefix: ${prefix}`);
  return { low: prefix, high: `${prefix}g` };
}

/** A block as both stores keep it. */
export interface BlockRow { height: number; hash: string; header: string; signatures: string; timestamp_ms?: number }
/** A history entry as both stores keep it. */
export interface EntryRow { account: string; seq: number; n: number; available_after: string; held_after: string }

export function decodeBlock(row: BlockRow): SignedBlock {
  let block: SignedBlock;
  try {
    block = { header: JSON.parse(row.header) as SignedBlock['header'], hash: row.hash, signatures: JSON.parse(row.signatures) as SignedBlock['signatures'] };
  } catch (error) {
    throw new ChainDataError(row.height, undefined, `stored block cannot be decoded: ${(error as Error).message}`);
  }
  // The time column indexes the signed header (dates are looked up through it): it must say what the header says.
  if (row.timestamp_ms !== undefined && row.timestamp_ms !== block.header.timestampMs) throw new ChainDataError(row.height, undefined, 'the stored block time column differs from the signed header');
  return block;
}

/**
 * Events are kept in the row of the transaction they came from (and the block's own, from
 * its start, in the block's row): one write per transaction, not one per event. What a
 * row holds is what its columns do not: the events, and the transaction's reference and memo.
 */
interface CompactEvent { type: string; operation: number | null; accounts: string[]; participants: string[]; data: Record<string, unknown> }
interface TransactionEvents { reference?: string; memo?: string; events: CompactEvent[] }

const compact = (event: EventRecord): CompactEvent => ({ type: event.type, operation: event.operation, accounts: event.accounts, participants: event.participants, data: event.data });

/** The events column of a transaction's row. */
export function encodeTransactionEvents(events: readonly EventRecord[], reference: string | undefined, memo: string | undefined): string {
  const value: TransactionEvents = { ...(reference !== undefined && { reference }), ...(memo !== undefined && { memo }), events: events.map(compact) };
  return JSON.stringify(value);
}

/** The events column of a block's row: what happened at its start. */
export function encodeBlockEvents(events: readonly EventRecord[]): string {
  return JSON.stringify(events.map(compact));
}

/** A block's events (or entries), by their index: 0 for the block's start, k for transaction k − 1. */
export function eventsByIndex<T extends Pick<EventPosition, 'index'>>(events: readonly T[]): Map<number, T[]> {
  const byIndex = new Map<number, T[]>();
  for (const event of events) {
    const list = byIndex.get(event.index) ?? [];
    list.push(event);
    byIndex.set(event.index, list);
  }
  return byIndex;
}

/** The columns a transaction row's events are expanded with. */
export interface TransactionEventsRow { seq: number; hash: string; sender: string; client_id: string; signers: string; events: string }

function decodeJson<T>(text: string, height: number, position: number | undefined, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ChainDataError(height, position, `stored ${what} cannot be decoded: ${(error as Error).message}`);
  }
}

/** The events of a block's start, expanded to full records. */
export function blockEventsOf(height: number, timeMs: number, text: string): EventRecord[] {
  const stored = decodeJson<CompactEvent[]>(text, height, undefined, `events of block ${height}`);
  if (!Array.isArray(stored)) throw new ChainDataError(height, undefined, `stored events of block ${height} are not a list`);
  return stored.map((event, n) => ({ height, index: 0, n, timeMs, ...event, transaction: null }));
}

/** The events of a transaction row, expanded to full records. */
export function transactionEventsOf(row: TransactionEventsRow, timeMs: number): EventRecord[] {
  const height = Math.floor(row.seq / POSITIONS_PER_BLOCK);
  const position = row.seq % POSITIONS_PER_BLOCK;
  const stored = decodeJson<TransactionEvents>(row.events, height, position, `events of transaction ${height}:${position}`);
  if (typeof stored !== 'object' || stored === null || !Array.isArray(stored.events)) throw new ChainDataError(height, position, `stored events of transaction ${height}:${position} are not a list`);
  const transaction: TransactionRef = {
    hash: row.hash, position, id: row.client_id, sender: row.sender,
    ...(stored.reference !== undefined && { reference: stored.reference }), ...(stored.memo !== undefined && { memo: stored.memo }),
    signers: decodeJson<string[]>(row.signers, height, position, 'signers'),
  };
  return stored.events.map((event, n) => ({ height, index: position + 1, n, timeMs, ...event, transaction }));
}

/** How many blocks an events read takes at a time. */
export const EVENT_BLOCKS_PAGE = 32;

/** A block's own events column, with its height and time. */
export interface BlockEventsRow { height: number; timestamp_ms: number; events: string }

/** An account-history query as key bounds: strictly before (seq, n), seq within [fromSeq, toSeq). */
export function historyBounds(query: HistoryQuery): { beforeSeq: number; beforeN: number; fromSeq: number; toSeq: number } {
  return {
    beforeSeq: query.before === undefined ? Number.MAX_SAFE_INTEGER : entrySeq(query.before),
    beforeN: query.before?.n ?? 0,
    fromSeq: seqOf(query.fromHeight ?? 0, 0),
    toSeq: query.toHeight === undefined ? Number.MAX_SAFE_INTEGER : seqOf(query.toHeight + 1, 0),
  };
}

/** A history entry with the event it records, found in its block's or transaction's events row. */
export function historyLineOf(account: string, entry: EntryRecord, block: BlockEventsRow | undefined, tx: TransactionEventsRow | undefined): HistoryLine {
  const events = block === undefined ? [] : entry.index === 0 ? blockEventsOf(block.height, block.timestamp_ms, block.events) : tx === undefined ? [] : transactionEventsOf(tx, block.timestamp_ms);
  const event = events[entry.n];
  if (event === undefined) throw new ChainDataError(entry.height, entry.index === 0 ? undefined : entry.index - 1, `the history of ${account} names an event ${entry.height}:${entry.index}:${entry.n} the chain does not have`);
  return { entry, event };
}

export function encodeEntry(entry: EntryRecord): EntryRow {
  return { account: entry.account, seq: entrySeq(entry), n: entry.n, available_after: entry.availableAfterMinor.toString(), held_after: entry.heldAfterMinor.toString() };
}

export function decodeEntry(row: EntryRow): EntryRecord {
  const position = positionOf(row.seq, row.n);
  try {
    return { ...position, account: row.account, availableAfterMinor: BigInt(row.available_after), heldAfterMinor: BigInt(row.held_after) };
  } catch (error) {
    throw new ChainDataError(position.height, undefined, `stored history entry of ${row.account} cannot be decoded: ${(error as Error).message}`);
  }
}
