import { ChainDataError, type EventRecord } from '../chain/index.js';
import { BlockRecordView, encodeBlockRecord, type TransactionRecord } from './block-record.js';
import { encodeEntriesColumn } from './entries-column.js';
import { blockEventsOf, encodeBlockEvents, encodeTransactionEvents, eventsByIndex, seqOf, transactionEventsOf, type BlockEventsRow, type TransactionEventsRow } from './rows.js';
import type { BlockWrite, StoredTransaction } from './types.js';

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
