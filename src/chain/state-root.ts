import { encodeEntity, TABLE_NAMES, type LedgerState, type TableName } from '../core/index.js';
import { sha256, sha256Of } from './encoding.js';

/**
 * A commitment to the whole ledger state, recomputed after every block in time
 * proportional to what the block changed, and written in the block's signed header.
 *
 * Each entity's row hash is SHA-256 over its table, id and canonical encoding (the
 * bytes a snapshot stores). Per table, rows fall into 65,536 buckets by a hash of their
 * id; a bucket's digest is SHA-256 of its row hashes in id order, 256 buckets make a
 * group, a group's digest is SHA-256 of its buckets' digests, a table's root is SHA-256
 * of its groups' digests, and the state root is SHA-256 of the tables' roots. A change
 * touches one bucket, one group and the roots, so a block of a few thousand changes
 * costs a few milliseconds, and a node that loads a snapshot recomputes the same root
 * from the rows it read: a changed balance, a moved amount or a wrong snapshot height
 * no longer matches the root the validators signed.
 */
const BUCKETS = 65_536;
const GROUP_SIZE = 256;
const GROUPS = BUCKETS / GROUP_SIZE;
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

/** A bucket's ids in order, and their row hashes packed in the same order (32 bytes each, no object per row). */
interface Bucket {
  ids: string[];
  packed: Buffer;
}

/** One table's buckets, groups and root. */
class TableCommitment {
  private readonly buckets: (Bucket | undefined)[] = new Array(BUCKETS);
  private readonly bucketDigests = Buffer.alloc(BUCKETS * HASH_BYTES);
  private readonly groupDigests = Buffer.alloc(GROUPS * HASH_BYTES);
  private readonly dirtyBuckets = new Set<number>();
  private rootDigest: Buffer;

  constructor(private readonly table: TableName) {
    for (let b = 0; b < BUCKETS; b += 1) EMPTY.copy(this.bucketDigests, b * HASH_BYTES);
    for (let g = 0; g < GROUPS; g += 1) sha256(this.bucketDigests.subarray(g * GROUP_SIZE * HASH_BYTES, (g + 1) * GROUP_SIZE * HASH_BYTES)).copy(this.groupDigests, g * HASH_BYTES);
    this.rootDigest = this.computeRoot();
  }

  set(id: string, hash: Buffer): void {
    const index = bucketOf(id);
    let bucket = this.buckets[index];
    if (bucket === undefined) {
      bucket = { ids: [], packed: Buffer.alloc(0) };
      this.buckets[index] = bucket;
    }
    const at = lowerBound(bucket.ids, id);
    if (bucket.ids[at] === id) hash.copy(bucket.packed, at * HASH_BYTES);
    else {
      bucket.ids.splice(at, 0, id);
      bucket.packed = Buffer.concat([bucket.packed.subarray(0, at * HASH_BYTES), hash, bucket.packed.subarray(at * HASH_BYTES)]);
    }
    this.dirtyBuckets.add(index);
  }

  root(): Buffer {
    if (this.dirtyBuckets.size === 0) return this.rootDigest;
    const dirtyGroups = new Set<number>();
    for (const index of this.dirtyBuckets) {
      sha256(this.buckets[index]!.packed).copy(this.bucketDigests, index * HASH_BYTES);
      dirtyGroups.add(Math.floor(index / GROUP_SIZE));
    }
    this.dirtyBuckets.clear();
    for (const g of dirtyGroups) sha256(this.bucketDigests.subarray(g * GROUP_SIZE * HASH_BYTES, (g + 1) * GROUP_SIZE * HASH_BYTES)).copy(this.groupDigests, g * HASH_BYTES);
    this.rootDigest = this.computeRoot();
    return this.rootDigest;
  }

  private computeRoot(): Buffer {
    return sha256Of('depositum/state-table/v2\n', this.table, '\n', this.groupDigests);
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
    return sha256Of('depositum/state/v2\n', ...TABLE_NAMES.map((table) => this.tables.get(table)!.root())).toString('hex');
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
