import { ChainDataError, type BlockRecords, type EntryRecord, type EventPosition, type EventRecord, type SignedBlock } from '../chain/index.js';
import type { StoredTransaction } from './types.js';

/**
 * A transaction's place as one integer, height · 2^20 + position: rows are appended in
 * key order, which is the cheapest insert a B-tree has. Blocks hold fewer than 2^20
 * transactions (the sequencer's limit is far lower).
 */
export const POSITIONS_PER_BLOCK = 2 ** 20;
export const seqOf = (height: number, position: number): number => height * POSITIONS_PER_BLOCK + position;
/** An event's block and index as one integer, the same way (index 0: the block's start; k: transaction k − 1). */
export const entrySeq = (position: Pick<EventPosition, 'height' | 'index'>): number => seqOf(position.height, position.index);
/** How many blocks a reader fetches at a time. */
export const BLOCKS_PAGE = 256;

/** A block as both stores keep it. */
export interface BlockRow { height: number; hash: string; header: string; signatures: string; timestamp_ms?: number }
/** A transaction as both stores keep it. */
export interface TransactionRow { seq: number; hash: string; sender: string; client_id: string; valid_until_ms: number; envelope: string; result: string; signers: string }
/** An event as both stores keep it. */
export interface EventRow { seq: number; n: number; body: string }
/** A history entry as both stores keep it, with its event's body. */
export interface EntryRow { account: string; seq: number; n: number; available_after: string; held_after: string; body?: string }

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

export function decodeTransaction(row: TransactionRow): StoredTransaction {
  const height = Math.floor(row.seq / POSITIONS_PER_BLOCK);
  const position = row.seq % POSITIONS_PER_BLOCK;
  let decoded: StoredTransaction;
  try {
    decoded = {
      hash: row.hash, height, position,
      envelope: JSON.parse(row.envelope) as StoredTransaction['envelope'],
      result: JSON.parse(row.result) as StoredTransaction['result'],
      signers: JSON.parse(row.signers) as string[],
    };
  } catch (error) {
    throw new ChainDataError(height, position, `stored transaction cannot be decoded: ${(error as Error).message}`);
  }
  // The sender, id and validity columns index the envelope; they must say what it says.
  const body = decoded.envelope.body as Partial<StoredTransaction['envelope']['body']> | undefined;
  if (body?.sender !== row.sender || body.id !== row.client_id || body.validUntilMs !== row.valid_until_ms) {
    throw new ChainDataError(height, position, 'stored index columns (sender, id, valid-until) differ from the envelope');
  }
  return decoded;
}

/** What an event row's body holds: everything but its position, which its key gives. */
type EventBody = Omit<EventRecord, keyof EventPosition>;

export function encodeEvent(event: EventRecord): EventRow {
  const { height, index, n, ...body } = event;
  return { seq: entrySeq({ height, index }), n, body: JSON.stringify(body) };
}

function positionOf(seq: number, n: number): EventPosition {
  return { height: Math.floor(seq / POSITIONS_PER_BLOCK), index: seq % POSITIONS_PER_BLOCK, n };
}

export function decodeEvent(row: EventRow): EventRecord {
  const position = positionOf(row.seq, row.n);
  try {
    return { ...position, ...(JSON.parse(row.body) as EventBody) };
  } catch (error) {
    throw new ChainDataError(position.height, undefined, `stored event ${position.height}:${position.index}:${row.n} cannot be decoded: ${(error as Error).message}`);
  }
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

/** Entries and events read back for one block, in the order the recorder wrote them. */
export function blockRecords(events: readonly EventRow[], entries: readonly EntryRow[]): BlockRecords {
  const decoded = events.map(decodeEvent);
  const order = new Map(decoded.map((event, i) => [`${event.index}:${event.n}`, i]));
  const sorted = entries.map(decodeEntry).sort((a, b) => (order.get(`${a.index}:${a.n}`) ?? 0) - (order.get(`${b.index}:${b.n}`) ?? 0) || (a.account < b.account ? -1 : 1));
  return { events: decoded, entries: sorted };
}
