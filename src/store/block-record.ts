import { ChainDataError } from '../chain/index.js';

/**
 * One transaction as the block log keeps it: its hash, the sender and id that index it,
 * and the texts a transaction row used to hold (the canonical envelope, the result and
 * signers as JSON, the events and history-entries columns of rows.ts / entries-column.ts).
 */
export interface TransactionRecord {
  hash: string;
  sender: string;
  id: string;
  envelope: string;
  result: string;
  signers: string;
  events: string;
  entries: string;
}

/** What a block adds to the log besides its signed header: its start's events and entries, and its transactions in order. */
export interface BlockRecord {
  events: string;
  entries: string;
  transactions: readonly TransactionRecord[];
}

/**
 * The block log's record layout (little-endian):
 *
 *     u8  format (1)        u32 transaction count n
 *     u32 offsets[n + 1]    where each transaction starts, and where the last ends
 *     text events           text entries            (the block's start)
 *     n × { 32 bytes hash, text sender, text id, text envelope, text result, text signers, text events, text entries }
 *
 * where `text` is a u32 byte length and that many bytes of UTF-8. The offsets let a reader
 * take one transaction out of a block of thousands without decoding the others. One
 * record is one append: a block costs the commit path one row, not one per transaction.
 */
const FORMAT = 1;
const HASH_BYTES = 32;
const TEXT_FIELDS_PER_TRANSACTION = 7;

/**
 * Appends to a scratch buffer that grows by doubling and is kept for the next record: a
 * block's encoding allocates nothing per field, and nothing per block but its result.
 */
class RecordWriter {
  private buffer = Buffer.allocUnsafe(64 * 1024);
  position = 0;

  start(sizeHint: number): void {
    this.position = 0;
    this.reserve(sizeHint);
  }

  private reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.position + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.buffer[this.position] = value;
    this.position += 1;
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.position);
    this.position += 4;
  }

  u32At(at: number, value: number): void {
    this.buffer.writeUInt32LE(value, at);
  }

  /** A length-prefixed UTF-8 text, written in place (a UTF-16 unit is at most three UTF-8 bytes). */
  text(value: string): void {
    this.reserve(4 + value.length * 3);
    const written = this.buffer.write(value, this.position + 4, 'utf8');
    this.buffer.writeUInt32LE(written, this.position);
    this.position += 4 + written;
  }

  hash(hex: string): void {
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`invariant: a transaction hash is 64 lower-case hex digits, not ${hex}`);
    this.reserve(HASH_BYTES);
    this.buffer.write(hex, this.position, 'hex');
    this.position += HASH_BYTES;
  }

  /**
   * The record, copied into memory shared with the threads it is posted to (the block
   * hasher, the SQLite writer): posting it then copies nothing, where a posted Buffer is
   * copied whole, with the unused end of the buffer it views. Nothing writes to a record
   * once it is encoded.
   */
  finish(): Buffer {
    const record = Buffer.from(new SharedArrayBuffer(this.position));
    this.buffer.copy(record, 0, 0, this.position);
    return record;
  }
}

// Encoding is synchronous, so one scratch buffer per thread serves every record.
const writer = new RecordWriter();

export function encodeBlockRecord(record: BlockRecord): Buffer {
  const count = record.transactions.length;
  writer.start(64 + count * 1024);
  writer.u8(FORMAT);
  writer.u32(count);
  const offsetsAt = writer.position;
  for (let i = 0; i <= count; i += 1) writer.u32(0);
  writer.text(record.events);
  writer.text(record.entries);
  for (let i = 0; i < count; i += 1) {
    const tx = record.transactions[i]!;
    writer.u32At(offsetsAt + 4 * i, writer.position);
    writer.hash(tx.hash);
    writer.text(tx.sender);
    writer.text(tx.id);
    writer.text(tx.envelope);
    writer.text(tx.result);
    writer.text(tx.signers);
    writer.text(tx.events);
    writer.text(tx.entries);
  }
  writer.u32At(offsetsAt + 4 * count, writer.position);
  return writer.finish();
}

/**
 * A stored record, read lazily: the block's own columns at once, each transaction only
 * when asked for. Every length and offset is checked against the record's size, so a
 * damaged record is a ChainDataError naming its block (and transaction), never a crash.
 */
export class BlockRecordView {
  readonly count: number;
  readonly events: string;
  readonly entries: string;
  private readonly offsetsAt = 5;

  constructor(readonly height: number, private readonly bytes: Buffer) {
    if (bytes.length < 5 || bytes[0] !== FORMAT) this.damaged(undefined, `its record is not of format ${FORMAT}`);
    this.count = bytes.readUInt32LE(1);
    const firstAt = this.offsetsAt + 4 * (this.count + 1);
    if (firstAt > bytes.length) this.damaged(undefined, `its record says ${this.count} transactions, more than it can hold`);
    const cursor = { at: firstAt };
    this.events = this.text(cursor, undefined);
    this.entries = this.text(cursor, undefined);
    if (this.count > 0 && this.offset(0) !== cursor.at) this.damaged(0, 'its record does not start where the offsets say');
    const endsAt = this.count === 0 ? cursor.at : this.offset(this.count);
    if (this.offset(this.count) !== bytes.length || endsAt !== bytes.length) this.damaged(undefined, 'its record does not end where the offsets say');
  }

  transaction(position: number): TransactionRecord {
    if (!Number.isInteger(position) || position < 0 || position >= this.count) throw new RangeError(`block ${this.height} has no transaction ${position}`);
    const start = this.offset(position);
    const end = this.offset(position + 1);
    if (start > end || end > this.bytes.length || end - start < HASH_BYTES + 4 * TEXT_FIELDS_PER_TRANSACTION) this.damaged(position, 'its record offsets are out of order');
    const cursor = { at: start + HASH_BYTES, end };
    const record: TransactionRecord = {
      hash: this.bytes.toString('hex', start, start + HASH_BYTES),
      sender: this.text(cursor, position),
      id: this.text(cursor, position),
      envelope: this.text(cursor, position),
      result: this.text(cursor, position),
      signers: this.text(cursor, position),
      events: this.text(cursor, position),
      entries: this.text(cursor, position),
    };
    if (cursor.at !== end) this.damaged(position, 'its record holds more than one transaction between two offsets');
    return record;
  }

  *transactions(): IterableIterator<TransactionRecord> {
    for (let position = 0; position < this.count; position += 1) yield this.transaction(position);
  }

  /** The whole record decoded (for a tool that edits and re-encodes one, such as a test that tampers with it). */
  decode(): BlockRecord {
    return { events: this.events, entries: this.entries, transactions: [...this.transactions()] };
  }

  private offset(index: number): number {
    return this.bytes.readUInt32LE(this.offsetsAt + 4 * index);
  }

  private text(cursor: { at: number; end?: number }, position: number | undefined): string {
    const limit = cursor.end ?? this.bytes.length;
    if (cursor.at + 4 > limit) this.damaged(position, 'its record ends inside a field');
    const length = this.bytes.readUInt32LE(cursor.at);
    const start = cursor.at + 4;
    if (start + length > limit) this.damaged(position, 'its record ends inside a field');
    cursor.at = start + length;
    return this.bytes.toString('utf8', start, start + length);
  }

  private damaged(position: number | undefined, why: string): never {
    throw new ChainDataError(this.height, position, `stored block ${this.height}${position === undefined ? '' : ` transaction ${position}`} cannot be decoded: ${why}`);
  }
}
