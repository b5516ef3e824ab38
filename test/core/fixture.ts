import { applyTransaction, beginBlock, checkInvariants, genesisState, type LedgerState, type Operation, type RejectionCode, type TransactionResult } from '../../src/core/index.js';
import { createDemoNetwork, demoSetup } from '../../src/node/demo.js';

/** The state machine does not read a transaction's salt (only its hash does): a fixed one keeps core tests deterministic. */
export const SALT = 'A'.repeat(43);

/** A fixed time, so core tests are deterministic. */
export const T0 = 1_800_000_000_000;

export interface CoreFixture {
  state: LedgerState;
  /** Applies one transaction; the first signer is the sender. */
  apply(signers: string | string[], operations: Operation[], atMs?: number, sender?: string): TransactionResult;
}

let sequence = 0;

/** The demo network set up directly on a state, with no node, store or signatures involved. */
export function coreFixture(): CoreFixture {
  const network = createDemoNetwork('core-test', T0);
  const state = genesisState(network.genesis);
  const apply = (signers: string | string[], operations: Operation[], atMs = T0 + 1000, sender?: string): TransactionResult => {
    const names = Array.isArray(signers) ? signers : [signers];
    sequence += 1;
    const body = { network: 'core-test', id: `c-${sequence}`, sender: sender ?? names[0]!, validUntilMs: atMs + 60_000, operations, salt: SALT };
    return applyTransaction(state, { body, signers: new Set(names) }, atMs).result;
  };
  for (const step of demoSetup(network, T0)) {
    const result = applyTransaction(state, { body: step.body, signers: new Set([step.signer]) }, T0).result;
    if (result.status !== 'committed') throw new Error(`fixture setup failed: ${JSON.stringify(result)}`);
  }
  return { state, apply };
}

/** The fixture with 1,000.00 USD minted to acme, globex and initech. */
export function fundedFixture(): CoreFixture {
  const fixture = coreFixture();
  for (const holder of ['acme', 'globex', 'initech']) {
    const result = fixture.apply('first-meridian', [{ type: 'issue', account: `${holder}-usd`, amount: '1000.00', depositReference: `DEP-${holder}` }]);
    if (result.status !== 'committed') throw new Error(`funding failed: ${JSON.stringify(result)}`);
  }
  return fixture;
}

/** A table case: given transactions (each must commit), then one that must commit or be rejected with `expect`. */
export interface Case {
  name: string;
  /** The sender when it is not the first signer. */
  sender?: string;
  /** Applied first, each must commit. */
  given?: [string | string[], Operation[]][];
  signers: string | string[];
  operations: Operation[];
  expect: RejectionCode | null;
  /** When the expectation is a rejection, the index of the failing operation (default 0). */
  operation?: number | null;
  atMs?: number;
}


/** A step of a random workload in time: a transaction (who signs, one operation), or the clock moving on to a later block. */
export type ClockedStep = { signers: string[]; op: Operation } | { advanceMs: number };

/**
 * Runs `steps` on the funded fixture from T0 + 1 s, running the block-time scheduler on
 * each clock step, and checks after every step that the invariants hold and the USD in
 * accounts (available + held) never changes. Returns the time reached.
 */
export function runClocked(f: CoreFixture, steps: readonly ClockedStep[]): number {
  const usd = () => [...f.state.accounts.values()].filter((a) => a.asset === 'usd-fmb').reduce((sum, a) => sum + a.availableMinor + a.heldMinor, 0n);
  const start = usd();
  let now = T0 + 1000;
  for (const step of steps) {
    if ('advanceMs' in step) beginBlock(f.state, (now += step.advanceMs));
    else f.apply(step.signers, [step.op], now);
    const violations = checkInvariants(f.state);
    if (violations.length > 0 || usd() !== start) throw new Error(`after ${JSON.stringify(step)}: ${JSON.stringify(violations)}, USD ${usd()} against ${start}`);
  }
  return now;
}
