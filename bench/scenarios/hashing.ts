import { createHash, hash } from 'node:crypto';
import { createSHA256 } from 'hash-wasm';
import { canonicalResult } from '../../src/chain/index.js';
import { summarize, type Figures } from '../stats.js';

/**
 * SHA-256 of Merkle leaves as a block hashes them (a 0x00 prefix, then a result leaf of
 * about 110 bytes), three ways: node:crypto's one-shot `hash` (what the chain uses),
 * `createHash` with a hash object per leaf, and hash-wasm's WASM SHA-256 with one hasher
 * reused. Rounds alternate the three so a noisy host slows them alike; medians are kept.
 */
export async function hashingScenario(options: { leaves: number; rounds: number }): Promise<Figures> {
  const prefix = Buffer.from([0]);
  const leaves = Array.from({ length: options.leaves }, (_, i) => Buffer.concat([prefix, Buffer.from(canonicalResult(i.toString(16).padStart(64, '0'), { status: 'committed' }, ['acme']))]));
  const wasm = await createSHA256();
  const methods: Record<string, () => void> = {
    'crypto.hash': () => {
      for (const leaf of leaves) hash('sha256', leaf, 'buffer');
    },
    createHash: () => {
      for (const leaf of leaves) createHash('sha256').update(leaf).digest();
    },
    'hash-wasm': () => {
      for (const leaf of leaves) {
        wasm.init();
        wasm.update(leaf);
        wasm.digest('binary');
      }
    },
  };
  const rates = new Map<string, number[]>(Object.keys(methods).map((name) => [name, []]));
  let seconds = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [name, run] of Object.entries(methods)) {
      const started = performance.now();
      run();
      const elapsed = (performance.now() - started) / 1000;
      if (name === 'crypto.hash') seconds += elapsed;
      rates.get(name)!.push(options.leaves / elapsed);
    }
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const medians = [...rates].map(([name, values]) => [name, median(values)] as const);
  const ours = medians.find(([name]) => name === 'crypto.hash')![1];
  const best = Math.max(...medians.map(([, rate]) => rate));
  return summarize({
    scenario: 'hashing', ops: options.leaves * options.rounds, seconds, latenciesMs: new Float64Array(0), cpuS: seconds, ok: true,
    target: 'the chain uses the fastest (within 10%)', met: () => ours >= 0.9 * best,
    note: `leaf hashes per second, medians of ${options.rounds} alternating rounds: ${medians.map(([name, rate]) => `${name} ${Math.round(rate).toLocaleString('en-US')}`).join(', ')}`,
  });
}
