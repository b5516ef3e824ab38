import { canonicalJson } from '../../chain/index.js';
import { leafHash, MerkleTree, verifyInclusion } from '../../chain/merkle.js';
import type { Holding } from './holdings.js';

/** A holding's leaf: its canonical JSON (RFC 8785), amounts as decimal strings of ten-thousandths. */
export function holdingLeaf(holding: Holding): string {
  return canonicalJson(JSON.parse(JSON.stringify(holding, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))));
}

/** The register's holdings in instrument order, as an RFC 6962 Merkle tree. */
export function holdingsTree(holdings: readonly Holding[]): { tree: MerkleTree; ordered: Holding[] } {
  const ordered = [...holdings].sort((a, b) => (a.instrumentId < b.instrumentId ? -1 : a.instrumentId > b.instrumentId ? 1 : 0));
  return { tree: MerkleTree.of(ordered.map((h) => leafHash(holdingLeaf(h)))), ordered };
}

/** What a holder checks one holding with: the leaf, its place and the audit path to the attested root. */
export interface HoldingProof {
  readonly leaf: string;
  readonly index: number;
  readonly size: number;
  readonly path: readonly string[];
  readonly root: string;
}

export function proveHolding(holdings: readonly Holding[], instrumentId: string): HoldingProof | undefined {
  const { tree, ordered } = holdingsTree(holdings);
  const index = ordered.findIndex((h) => h.instrumentId === instrumentId);
  if (index < 0) return undefined;
  return { leaf: holdingLeaf(ordered[index]!), index, size: tree.size, path: tree.proof(index).map((node) => node.toString('hex')), root: tree.root().toString('hex') };
}

/** Whether the proof carries its leaf to `root` (the root attested on the chain, not the one in the proof). */
export function verifyHoldingProof(proof: HoldingProof, root: string): boolean {
  return verifyInclusion(leafHash(proof.leaf), proof.index, proof.size, proof.path.map((node) => Buffer.from(node, 'hex')), Buffer.from(root, 'hex'));
}
