import { applyTransaction, beginBlock, checkInvariants, concernedParties, expiredHoldsOf, genesisState, touchedAccounts, type Genesis, type LedgerState, type TransactionResult } from '../core/index.js';
import { blockSealProblem, type SignedBlock } from './block.js';
import { canonicalJson, sha256Hex } from './encoding.js';
import { MerkleTree } from './merkle.js';
import { resultLeaf, transactionHash, transactionLeaf, verifiedSigners, type TransactionEnvelope } from './transaction.js';

export interface RecordedTransaction {
  envelope: TransactionEnvelope;
  result: TransactionResult;
  /** What a store keeps beside the chain; when given, it must agree with the chain and its replay. */
  hash?: string;
  accounts?: string[];
  parties?: string[];
}

/** A block as any source (a store, a node's API) hands it to the verifier. */
export interface RecordedBlock {
  block: SignedBlock;
  transactions: RecordedTransaction[];
}

/** Where and why verification stopped. `transaction` is the index within the block. */
export interface ChainFailure {
  height: number;
  transaction?: number;
  reason: string;
}

/** A source that cannot even decode a stored record throws this, naming the record. */
export class ChainDataError extends Error {
  constructor(readonly height: number, readonly transaction: number | undefined, reason: string) {
    super(reason);
  }
}

/** A block refused by a node that follows another (an observer): the failure names the block and the reason. */
export class BlockRejectedError extends Error {
  constructor(readonly failure: ChainFailure) {
    super(`block ${failure.height}${failure.transaction === undefined ? '' : ` transaction ${failure.transaction}`}: ${failure.reason}`);
    this.name = 'BlockRejectedError';
  }
}

export interface ChainReport {
  genesisHash: string;
  blocks: number;
  transactions: number;
  headHash: string | null;
  /** The state rebuilt by replay, up to the last block that verified. */
  state: LedgerState;
  failure: ChainFailure | null;
}

export function genesisHash(genesis: Genesis): string {
  return sha256Hex(canonicalJson(genesis));
}

/**
 * Checks a block's header against the one before: height, validator seal, network,
 * link and time order. All a participant who sees only its own transactions can check
 * of a block it is not party to.
 */
export function headerProblem(block: SignedBlock, genesis: Genesis, previous: SignedBlock | null, anchor: string): ChainFailure | null {
  const { header } = block;
  const height = previous === null ? 1 : previous.header.height + 1;
  // Located by its place in the chain: the header's own height may be what was damaged.
  const fail = (reason: string): ChainFailure => ({ height, reason });
  if (header.height !== height) return fail(`expected height ${height}, found ${header.height}`);
  const seal = blockSealProblem(block, genesis.validators);
  if (seal !== null) return fail(seal);
  if (header.network !== genesis.network) return fail(`network ${header.network} is not ${genesis.network}`);
  if (header.previousHash !== (previous?.hash ?? anchor)) return fail('previous hash does not link to the block before');
  if (previous !== null && header.timestampMs <= previous.header.timestampMs) return fail('timestamp does not increase');
  return null;
}

/** A block's transactions encoded and hashed once, with the two Merkle trees over them. */
export interface BlockTrees {
  canonicalEnvelopes: string[];
  hashes: string[];
  transactionTree: MerkleTree;
  resultTree: MerkleTree;
}

export function blockTrees(transactions: readonly RecordedTransaction[]): BlockTrees {
  const canonicalEnvelopes = transactions.map((tx) => canonicalJson(tx.envelope));
  const hashes = transactions.map((tx) => transactionHash(tx.envelope.body));
  return {
    canonicalEnvelopes, hashes,
    transactionTree: new MerkleTree(canonicalEnvelopes.map(transactionLeaf)),
    resultTree: new MerkleTree(transactions.map((tx, i) => resultLeaf(hashes[i]!, tx.result))),
  };
}

/**
 * Checks everything in one block that does not depend on replay: the header, then the
 * roots over its transactions (`trees`: already built by the caller, who keeps them).
 */
export function structureProblem(recorded: RecordedBlock, genesis: Genesis, previous: SignedBlock | null, anchor: string, trees?: BlockTrees): ChainFailure | null {
  const headerFailure = headerProblem(recorded.block, genesis, previous, anchor);
  if (headerFailure !== null) return headerFailure;
  const { header } = recorded.block;
  const fail = (reason: string): ChainFailure => ({ height: header.height, reason });
  if (header.transactionCount !== recorded.transactions.length) return fail(`header counts ${header.transactionCount} transactions, ${recorded.transactions.length} stored`);
  const { transactionTree, resultTree } = trees ?? blockTrees(recorded.transactions);
  if (transactionTree.root().toString('hex') !== header.transactionRoot) return fail('transaction root does not match the stored transactions');
  if (resultTree.root().toString('hex') !== header.resultRoot) return fail('result root does not match the stored results');
  return null;
}

/** What replaying one transaction established beside its result. */
export interface ReplayedTransaction {
  hash: string;
  signers: string[];
  accounts: string[];
  parties: string[];
}

/**
 * Re-executes a block on `state` (which it advances, even when it fails part-way) and
 * compares each result with the recorded one.
 */
export function replayBlock(recorded: RecordedBlock, state: LedgerState, hashes?: readonly string[]): { failure: ChainFailure | null; replayed: ReplayedTransaction[]; expiredHolds: string[] } {
  const { header } = recorded.block;
  const expiredHolds = expiredHoldsOf(beginBlock(state, header.timestampMs));
  const replayed: ReplayedTransaction[] = [];
  for (const [index, recordedTx] of recorded.transactions.entries()) {
    const { envelope, result } = recordedTx;
    const hash = hashes?.[index] ?? transactionHash(envelope.body);
    const fail = (reason: string) => ({ failure: { height: header.height, transaction: index, reason }, replayed, expiredHolds: [...expiredHolds] });
    if (recordedTx.hash !== undefined && recordedTx.hash !== hash) return fail(`stored hash ${recordedTx.hash.slice(0, 16)}… is not the transaction's (${hash.slice(0, 16)}…)`);
    const signers = verifiedSigners(envelope, hash, state);
    const input = { body: envelope.body, signers };
    const applied = applyTransaction(state, input, header.timestampMs);
    if (canonicalJson(applied.result) !== canonicalJson(result)) return fail(`replay gives ${canonicalJson(applied.result)}, block records ${canonicalJson(result)}`);
    const accounts = touchedAccounts(applied);
    const parties = concernedParties(applied, input, (account) => state.accounts.get(account)?.owner);
    if (recordedTx.accounts !== undefined && canonicalJson(recordedTx.accounts) !== canonicalJson(accounts)) return fail('stored account index differs from replay');
    if (recordedTx.parties !== undefined && canonicalJson(recordedTx.parties) !== canonicalJson(parties)) return fail('stored party list differs from replay');
    replayed.push({ hash, signers: [...signers], accounts, parties });
  }
  return { failure: null, replayed, expiredHolds: [...expiredHolds] };
}

/** A record damaged in a way the checks did not foresee still names its block rather than crashing the verifier. */
function checkBlock(recorded: RecordedBlock, genesis: Genesis, previous: SignedBlock | null, anchor: string, state: LedgerState): ChainFailure | null {
  try {
    const problem = structureProblem(recorded, genesis, previous, anchor) ?? replayBlock(recorded, state).failure;
    // The verifier keeps no snapshot, so it need not remember what changed.
    state.takeChanges();
    return problem;
  } catch (error) {
    return { height: (previous?.header.height ?? 0) + 1, reason: `block cannot be processed: ${(error as Error).message}` };
  }
}

/**
 * Verifies a chain from genesis: every block's hash, validator signatures, link,
 * time order and Merkle roots, then replays every transaction and requires the same
 * results. Stops at the first failure and names it. With `invariantsEveryBlock` the
 * ledger invariants are also checked after each block (slower; tests use it).
 */
export interface VerifyOptions {
  invariantsEveryBlock?: boolean;
  /** Called with the replayed state after each block verifies, e.g. to compare it with a stored snapshot. */
  afterBlock?: (height: number, state: LedgerState) => void;
}

export async function verifyChain(genesis: Genesis, blocks: AsyncIterable<RecordedBlock>, options: VerifyOptions = {}): Promise<ChainReport> {
  const anchor = genesisHash(genesis);
  const state = genesisState(genesis);
  state.takeChanges();
  const report: ChainReport = { genesisHash: anchor, blocks: 0, transactions: 0, headHash: null, state, failure: null };
  let previous: SignedBlock | null = null;
  try {
    for await (const recorded of blocks) {
      const failure = checkBlock(recorded, genesis, previous, anchor, state);
      const violations = failure === null && options.invariantsEveryBlock === true ? checkInvariants(state) : [];
      if (failure !== null || violations.length > 0) {
        report.failure = failure ?? { height: recorded.block.header.height, reason: `invariant broken: ${violations.map((v) => `${v.invariant} ${v.subject} (${v.detail})`).join('; ')}` };
        return report;
      }
      previous = recorded.block;
      options.afterBlock?.(recorded.block.header.height, state);
      report.blocks += 1;
      report.transactions += recorded.transactions.length;
      report.headHash = recorded.block.hash;
    }
  } catch (error) {
    if (!(error instanceof ChainDataError)) throw error;
    report.failure = error.transaction === undefined ? { height: error.height, reason: error.message } : { height: error.height, transaction: error.transaction, reason: error.message };
    return report;
  }
  const violations = checkInvariants(state);
  if (violations.length > 0) report.failure = { height: previous?.header.height ?? 0, reason: `invariant broken: ${violations.map((v) => `${v.invariant} ${v.subject}`).join('; ')}` };
  return report;
}
