import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { leafHash, merkleLevels, MerkleTree, verifyInclusion } from '../../src/chain/index.js';

/** The eight leaves of the Certificate Transparency reference test data (RFC 6962 implementations share them). */
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((hex) => leafHash(Buffer.from(hex, 'hex')));
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('Merkle tree (RFC 6962)', () => {
  it('matches the reference roots for 1 to 8 leaves', () => {
    ROOTS.forEach((root, index) => assert.equal(MerkleTree.of(LEAVES.slice(0, index + 1)).root().toString('hex'), root, `size ${index + 1}`));
  });

  it('has the hash of nothing as the empty root', () => {
    assert.equal(MerkleTree.of([]).root().toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('proves every leaf of any tree, and nothing else', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 70 }), fc.nat(), (size, pick) => {
      const leaves = Array.from({ length: size }, (_, i) => leafHash(`leaf ${i}`));
      const tree = MerkleTree.of(leaves);
      const index = pick % size;
      const proof = tree.proof(index);
      assert.ok(verifyInclusion(leaves[index]!, index, size, proof, tree.root()));
      assert.ok(!verifyInclusion(leafHash('other'), index, size, proof, tree.root()));
      if (size > 1) assert.ok(!verifyInclusion(leaves[index]!, (index + 1) % size, size, proof, tree.root()));
      if (proof.length > 0) {
        const bent = proof.map((node, i) => (i === 0 ? Buffer.from(node.map((byte) => byte ^ 1)) : node));
        assert.ok(!verifyInclusion(leaves[index]!, index, size, bent, tree.root()));
      }
    }));
  });

  it('is the same tree from levels hashed on another thread (one buffer a level) as hashed here', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70 }), (size) => {
      const leaves = Array.from({ length: size }, (_, i) => leafHash(`leaf ${i}`));
      const here = MerkleTree.of(leaves);
      const there = MerkleTree.fromLevels(merkleLevels(leaves).map((level) => new Uint8Array(Buffer.concat(level))));
      assert.equal(there.size, size);
      assert.deepEqual(there.root(), here.root());
      for (let index = 0; index < size; index += 1) assert.deepEqual(there.proof(index), here.proof(index));
    }));
  });

  it('refuses levels of the wrong shape from another thread', () => {
    const levels = merkleLevels(LEAVES.slice(0, 5)).map((level) => Buffer.concat(level));
    assert.throws(() => MerkleTree.fromLevels([levels[0]!.subarray(1), ...levels.slice(1)]), /not a whole number of hashes/);
    assert.throws(() => MerkleTree.fromLevels([levels[0]!, levels[2]!, levels[3]!]), /wrong number of nodes/);
    assert.throws(() => MerkleTree.fromLevels(levels.slice(0, -1)), /more than a root/);
  });

  it('rejects an index outside the tree', () => {
    const tree = MerkleTree.of(LEAVES);
    assert.ok(!verifyInclusion(LEAVES[0]!, 8, 8, tree.proof(0), tree.root()));
    assert.ok(!verifyInclusion(LEAVES[0]!, -1, 8, tree.proof(0), tree.root()));
    assert.throws(() => tree.proof(8), RangeError);
  });
});
