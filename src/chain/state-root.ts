import { encodeEntity, TABLE_NAMES, type LedgerState, type TableName } from '../core/index.js';
import { sha256, sha256Of } from './encoding.js';

/**
 * A commitment to the whole ledger state, recomputed after every block in time
 * proportional to what the block changed, and written in the block's signed header.
 *
 * Each entity's row hash is SHA-256 over its table, id and canonical encoding (the
 * bytes a snapshot stores). Per table, rows fall into 65,536 buckets by a hash of their
 * id; a bucket's digest is SHA-256 of its row hashes in id order. Above the buckets is a
 * tree of fan-out 16 (4,096, 256, then 16 nodes, each the SHA-256 of its 16 children's
 * digests), a table's root is SHA-256 of the top 16, and the state root is SHA-256 of the
 * names and roots of the tables that hold rows (so a kind of entity added by a later
 * release leaves the roots of chains that never used it as they were). A change rehashes its bucket and one 512-byte node per level, so a
 * block costs time in proportion to what it changed (a wider fan-out would rehash
 * kilobytes per change, which a node writing many small blocks pays for in throughput),
 * and a node that loads a snapshot recomputes the same root from the rows it read: a
 * changed balance, a moved amount or a wrong snapshot height no longer matches the root
 * the validators signed.
 */
const FAN_OUT = 16;
/** Levels of digests: the buckets' (16^4 of them), then 4,096, 256 and 16 nodes above them. */
const LEVELS = 4;
const BUCKETS = FAN_OUT ** LEVELS;
const HASH_BYTES = 32;
const EMPTY = sha256(new Uint8Array(0));

/** FNV-1a over the id's UTF-16 code units: only spreads rows over buckets, so it needs no cryptographic strength. */
function bucketOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h ^ (h >>> 16)) & (BUCKETS - 1);
}

export function rowHash(table: TableName, id: string, body: string): Buffer {
  return sha256(`depositum/state-row/v2\n${table}\n${id}\n${body}`);
}

/**
 * A bucket's ids in order, and their row hashes packed in the same order (32 bytes each,
 * no object per row) at the start of `packed`, which has room to grow. `packed` is memory
 * of its own, never a slice of Node's shared pool: a million small slices, each growing
 * by a copy, would keep alive every pool slab one of them still sits in (about four
 * times the hashes themselves, measured with a million accounts).
 */
interface Bucket {
  ids: string[];
  packed: Buffer;
}

/** Row hashes a new bucket has room for. */
const BUCKET_ROOM = 4;

/** `id`'s hash inserted at `at`, the bucket grown (doubled) when it is full. */
function insertRow(bucket: Bucket, at: number, id: string, hash: Buffer): void {
  const used = bucket.ids.length * HASH_BYTES;
  let packed = bucket.packed;
  if (used + HASH_BYTES > packed.length) {
    packed = Buffer.allocUnsafeSlow(Math.max(BUCKET_ROOM * HASH_BYTES, 2 * packed.length));
    bucket.packed.copy(packed, 0, 0, at * HASH_BYTES);
  }
  bucket.packed.copy(packed, (at + 1) * HASH_BYTES, at * HASH_BYTES, used);
  hash.copy(packed, at * HASH_BYTES);
  bucket.packed = packed;
  bucket.ids.splice(at, 0, id);
}

/**
 * The digests of one level of the tree, packed: level 0 holds the buckets' digests,
 * level k the digests of 16^(LEVELS - k) nodes, each over 16 digests of the level below;
 * the top level's 16 digests make the table's root. An empty table's levels, computed
 * once: every table starts as a copy of them.
 */
const EMPTY_LEVELS: readonly Buffer[] = (() => {
  const levels: Buffer[] = [];
  let digest = EMPTY;
  for (let level = 0; level < LEVELS; level += 1) {
    const packed = Buffer.alloc((BUCKETS / FAN_OUT ** level) * HASH_BYTES).fill(digest);
    levels.push(packed);
    digest = sha256(packed.subarray(0, FAN_OUT * HASH_BYTES));
  }
  return levels;
})();

/**
 * One table's buckets, tree and root. The tree (2 MiB) is copied from the empty one when
 * the table gets its first row: a kind of entity a chain never uses costs nothing, and a
 * verifier or a follower starting up allocates only what the chain holds.
 */
class TableCommitment {
  private buckets: (Bucket | undefined)[] = [];
  private levels: readonly Buffer[] = EMPTY_LEVELS;
  private readonly dirtyBuckets = new Set<number>();
  private rootDigest: Buffer;
  /** Rows in the table: an empty table takes no part in the state root. */
  size = 0;

  constructor(private readonly table: TableName) {
    this.rootDigest = this.computeRoot();
  }

  set(id: string, hash: Buffer): void {
    if (this.levels === EMPTY_LEVELS) {
      this.levels = EMPTY_LEVELS.map((level) => Buffer.from(level));
      this.buckets = new Array<Bucket | undefined>(BUCKETS);
    }
    const index = bucketOf(id);
    let bucket = this.buckets[index];
    if (bucket === undefined) {
      bucket = { ids: [], packed: Buffer.alloc(0) };
      this.buckets[index] = bucket;
    }
    const at = lowerBound(bucket.ids, id);
    if (bucket.ids[at] === id) hash.copy(bucket.packed, at * HASH_BYTES);
    else {
      insertRow(bucket, at, id, hash);
      this.size += 1;
    }
    this.dirtyBuckets.add(index);
  }

  root(): Buffer {
    if (this.dirtyBuckets.size === 0) return this.rootDigest;
    let dirty = new Set<number>();
    for (const index of this.dirtyBuckets) {
      const { ids, packed } = this.buckets[index]!;
      sha256(packed.subarray(0, ids.length * HASH_BYTES)).copy(this.levels[0]!, index * HASH_BYTES);
      dirty.add(Math.floor(index / FAN_OUT));
    }
    this.dirtyBuckets.clear();
    for (let level = 1; level < LEVELS; level += 1) {
      const below = this.levels[level - 1]!;
      const above = new Set<number>();
      for (const node of dirty) {
        sha256(below.subarray(node * FAN_OUT * HASH_BYTES, (node + 1) * FAN_OUT * HASH_BYTES)).copy(this.levels[level]!, node * HASH_BYTES);
        above.add(Math.floor(node / FAN_OUT));
      }
      dirty = above;
    }
    this.rootDigest = this.computeRoot();
    return this.rootDigest;
  }

  private computeRoot(): Buffer {
    return sha256Of('depositum/state-table/v2\n', this.table, '\n', this.levels[LEVELS - 1]!);
  }
}

function lowerBound(sorted: readonly string[], id: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The commitment to every table, as the engine, a follower, an observer and the verifier each keep it. */
export class StateCommitment {
  private readonly tables = new Map<TableName, TableCommitment>(TABLE_NAMES.map((table) => [table, new TableCommitment(table)]));

  /** Records an entity's current encoding (a new entity or a new version of one). */
  set(table: TableName, id: string, body: string): void {
    this.tables.get(table)!.set(id, rowHash(table, id, body));
  }

  /** The state root now, hex. */
  root(): string {
    const held = TABLE_NAMES.filter((table) => this.tables.get(table)!.size > 0);
    return sha256Of('depositum/state/v2\n', ...held.flatMap((table) => [`${table}\n`, this.tables.get(table)!.root()])).toString('hex');
  }
}

/** An entity as a snapshot keeps it: its table, id and canonical encoding. */
export interface ChangedRow {
  table: TableName;
  id: string;
  body: string;
}

/**
 * Encodes every entity changed since the last call, records it in the commitment, and
 * returns the rows (which a snapshot writes as they are: the bytes the root commits to).
 */
export function commitChanges(state: LedgerState, commitment: StateCommitment): ChangedRow[] {
  const changes = state.takeChanges();
  const rows: ChangedRow[] = [];
  for (const table of TABLE_NAMES) {
    const current = state.table(table);
    for (const id of changes[table]) {
      const entity = current.get(id);
      if (entity === undefined) throw new Error(`invariant: ${table}/${id} changed but is not in the state`);
      const body = encodeEntity(table, entity);
      commitment.set(table, id, body);
      rows.push({ table, id, body });
    }
  }
  return rows;
}
