import { ChainDataError, type EntryRecord, type EventRecord } from '../chain/index.js';
import { BlockRecordView, encodeBlockRecord, type TransactionRecord } from './block-record.js';
import { encodeEntriesColumn } from './entries-column.js';
import { blockEventsOf, encodeBlockEvents, encodeTransactionEvents, eventsByIndex, historyLineOf, seqOf, transactionEventsOf, type BlockEventsRow, type TransactionEventsRow } from './rows.js';
import type { BlockWrite, HistoryLine, StoredTransaction } from './types.js';

/** A block's record for the log: its transactions with their results, signers, events and history entries. */
export function blockRecordBytes(write: Pick<BlockWrite, 'transactions' | 'records'>): Buffer {
  const events = eventsByIndex(write.records.events);
  const entries = eventsByIndex(write.records.entries);
  return encodeBlockRecord({
    events: encodeBlockEvents(events.get(0) ?? []),
    entries: encodeEntriesColumn(entries.get(0) ?? []),
    transactions: write.transactions.map((tx) => {
      const { body } = tx.envelope;
      return {
        hash: tx.hash, sender: body.sender, id: body.id, envelope: tx.canonicalEnvelope, result: JSON.stringify(tx.result), signers: JSON.stringify(tx.signers),
        events: encodeTransactionEvents(events.get(tx.position + 1) ?? [], body.reference, body.memo), entries: encodeEntriesColumn(entries.get(tx.position + 1) ?? []),
      };
    }),
  });
}

function parsed<T>(text: string, height: number, position: number, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new ChainDataError(height, position, `stored transaction's ${what} cannot be decoded: ${(error as Error).message}`);
  }
}

/** A transaction of the log as the store answers it; the sender and id it is indexed by must be what its envelope says. */
export function storedTransactionOf(height: number, position: number, record: TransactionRecord): StoredTransaction {
  const envelope = parsed<StoredTransaction['envelope']>(record.envelope, height, position, 'envelope');
  const body = (envelope as Partial<StoredTransaction['envelope']> | null)?.body;
  if (body?.sender !== record.sender || body.id !== record.id) throw new ChainDataError(height, position, 'the stored sender and id it is indexed by differ from the envelope');
  return {
    hash: record.hash, height, position, envelope,
    result: parsed<StoredTransaction['result']>(record.result, height, position, 'result'),
    signers: parsed<string[]>(record.signers, height, position, 'signers'),
  };
}

/** A transaction's events row (the shape rows.ts expands), from its record. */
export function eventsRowOf(height: number, position: number, record: TransactionRecord): TransactionEventsRow {
  return { seq: seqOf(height, position), hash: record.hash, sender: record.sender, client_id: record.id, signers: record.signers, events: record.events };
}

export function blockEventsRowOf(view: BlockRecordView, timestampMs: number): BlockEventsRow {
  return { height: view.height, timestamp_ms: timestampMs, events: view.events };
}

/** The events of a block's transaction at `position`, decoded from its record. */
export function transactionEventsAt(view: BlockRecordView, position: number, timestampMs: number): EventRecord[] {
  return transactionEventsOf(eventsRowOf(view.height, position, view.transaction(position)), timestampMs);
}

/**
 * The events of one block from `fromIndex` on (0: its start, k: transaction k − 1), in
 * order, each transaction's decoded as it is taken (by `transactionEvents`: a reader may
 * keep some decoded).
 */
export function* recordEvents(view: BlockRecordView, timestampMs: number, fromIndex: number, transactionEvents = transactionEventsAt): IterableIterator<EventRecord> {
  if (fromIndex === 0) yield* blockEventsOf(view.height, timestampMs, view.events);
  for (let position = Math.max(0, fromIndex - 1); position < view.count; position += 1) yield* transactionEvents(view, position, timestampMs);
}

/** Block records kept decoded for reads: recent blocks are read again and again (receipts, the event feed). */
const RECORDS_KEPT = 8;
/**
 * Transactions whose events are kept decoded for the feed: a bulk file's thousand events
 * are one stored string, read by page after page of the feed (and by each follower).
 */
const DECODED_EVENTS_KEPT = 8;
/** Events text from this long is a transaction worth keeping decoded (a handful of events is not). */
const DECODED_EVENTS_FROM_CHARS = 16 * 1024;

/** The few records (and large transactions' decoded events) a store keeps for the reads that come back to them. */
export class RecentRecords {
  private readonly views = new Map<number, BlockRecordView>();
  private readonly decodedEvents = new Map<number, EventRecord[]>();

  kept(height: number): BlockRecordView | undefined {
    return this.views.get(height);
  }

  keep(view: BlockRecordView): BlockRecordView {
    this.views.set(view.height, view);
    if (this.views.size > RECORDS_KEPT) this.views.delete(this.views.keys().next().value!);
    return view;
  }

  /** A transaction's events; a large one's decoded once for the several reads of the feed that take it in pages. */
  transactionEvents(view: BlockRecordView, position: number, timeMs: number): EventRecord[] {
    const seq = seqOf(view.height, position);
    const kept = this.decodedEvents.get(seq);
    if (kept !== undefined) return kept;
    const record = view.transaction(position);
    const events = transactionEventsOf(eventsRowOf(view.height, position, record), timeMs);
    if (record.events.length >= DECODED_EVENTS_FROM_CHARS) {
      this.decodedEvents.set(seq, events);
      if (this.decodedEvents.size > DECODED_EVENTS_KEPT) this.decodedEvents.delete(this.decodedEvents.keys().next().value!);
    }
    return events;
  }
}

/** A history entry with the event it records, read from its block's record (undefined: the log has no such block). */
export function recordHistoryLine(account: string, entry: EntryRecord, view: BlockRecordView | undefined, timeMs: number | undefined): HistoryLine {
  const block = view === undefined || timeMs === undefined ? undefined : blockEventsRowOf(view, timeMs);
  const position = entry.index - 1;
  const tx = view === undefined || entry.index === 0 || position >= view.count ? undefined : eventsRowOf(entry.height, position, view.transaction(position));
  return historyLineOf(account, entry, block, tx);
}
