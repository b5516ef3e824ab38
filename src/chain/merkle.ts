import { sha256 } from './crypto.js';

/**
 * Merkle trees as in RFC 6962 §2.1 (and RFC 9162 §2.1): leaves and interior nodes are
 * hashed with distinct prefixes (0x00, 0x01) so no leaf can pass for a node, and an
 * unpaired right edge is carried up unchanged rather than duplicated. That makes
 * inclusion proofs checkable by any CT-style verifier.
 */
const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** One-shot hashing (no hash object per call): a block hashes a few leaves and nodes per transaction. */
export function leafHash(data: Uint8Array | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  return sha256(Buffer.concat([LEAF_PREFIX, bytes]));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return sha256(Buffer.concat([NODE_PREFIX, left, right]));
}

const EMPTY_ROOT = sha256(new Uint8Array(0));

function nextLevel(level: readonly Buffer[]): Buffer[] {
  const next: Buffer[] = [];
  for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
  if (level.length % 2 === 1) next.push(level[level.length - 1]!);
  return next;
}

/** The levels of a tree over `leafHashes`, leaves first, root last. */
export function merkleLevels(leafHashes: readonly Buffer[]): Buffer[][] {
  const levels = [[...leafHashes]];
  for (let level = levels[0]!; level.length > 1; ) {
    level = nextLevel(level);
    levels.push(level);
  }
  return levels;
}

const HASH_BYTES = 32;

/**
 * A tree over already-hashed leaves, with every level kept so each proof costs O(log n).
 * Each level is one buffer of 32-byte hashes: a block's two trees are a dozen objects,
 * not one per node, whichever thread hashed them.
 */
export class MerkleTree {
  private constructor(private readonly levels: readonly Buffer[]) {}

  static of(leafHashes: readonly Buffer[]): MerkleTree {
    return new MerkleTree(merkleLevels(leafHashes).map((level) => Buffer.concat(level)));
  }

  /**
   * A tree whose levels were computed elsewhere (another thread): each level one buffer of
   * 32-byte hashes. Checked for shape only; the caller trusts whoever hashed them.
   */
  static fromLevels(levels: readonly Uint8Array[]): MerkleTree {
    const packed = levels.map((level, depth) => {
      if (level.length % HASH_BYTES !== 0) throw new Error(`invariant: Merkle level ${depth} is not a whole number of hashes`);
      return Buffer.from(level.buffer, level.byteOffset, level.byteLength);
    });
    for (let depth = 1; depth < packed.length; depth += 1) {
      if (packed[depth]!.length / HASH_BYTES !== Math.ceil(packed[depth - 1]!.length / HASH_BYTES / 2)) throw new Error(`invariant: Merkle level ${depth} has the wrong number of nodes`);
    }
    if (packed.length > 0 && packed[packed.length - 1]!.length > HASH_BYTES) throw new Error('invariant: the top Merkle level is more than a root');
    return new MerkleTree(packed.length === 0 ? [Buffer.alloc(0)] : packed);
  }

  get size(): number {
    return this.levels[0]!.length / HASH_BYTES;
  }

  /** The tree head (MTH); the hash of nothing for an empty tree. */
  root(): Buffer {
    return this.size === 0 ? EMPTY_ROOT : this.levels[this.levels.length - 1]!.subarray(0, HASH_BYTES);
  }

  /** The audit path for leaf `index`, from the leaf upward (RFC 6962 PATH). */
  proof(index: number): Buffer[] {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new RangeError(`leaf ${index} not in a tree of ${this.size}`);
    const path: Buffer[] = [];
    let position = index;
    for (const level of this.levels.slice(0, -1)) {
      const sibling = position % 2 === 1 ? position - 1 : position + 1;
      if (sibling < level.length / HASH_BYTES) path.push(level.subarray(sibling * HASH_BYTES, (sibling + 1) * HASH_BYTES));
      position = Math.floor(position / 2);
    }
    return path;
  }
}

/** RFC 9162 §2.1.3.2: whether `path` proves leaf `index` of a tree of `size` leaves has head `root`. */
export function verifyInclusion(leaf: Buffer, index: number, size: number, path: readonly Buffer[], root: Buffer): boolean {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = BigInt(index);
  let sn = BigInt(size - 1);
  let hash = leaf;
  for (const sibling of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      hash = nodeHash(sibling, hash);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      hash = nodeHash(hash, sibling);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && hash.equals(root);
}
