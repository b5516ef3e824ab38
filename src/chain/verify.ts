import { applyTransaction, beginBlock, CHAIN_VERSION, checkInvariants, genesisState, transactionKey, type Genesis, type LedgerState, type TransactionResult } from '../core/index.js';
import { blockSealProblem, type SignedBlock } from './block.js';
import { canonicalJson, sha256Hex } from './encoding.js';
import { MerkleTree } from './merkle.js';
import { BlockRecorder, type BlockRecords, type EventRecord } from './records.js';
import { commitChanges, StateCommitment, type ChangedRow } from './state-root.js';
import { resultLeaf, sortedSigners, transactionHash, transactionLeaf, verifiedSigners, type TransactionEnvelope } from './transaction.js';

export interface RecordedTransaction {
  envelope: TransactionEnvelope;
  result: TransactionResult;
  /** The signers the sequencer accepted, as the block's result root commits to them. */
  signers: string[];
  /** The hash a store keeps beside the chain; when given, it must be the transaction's. */
  hash?: string;
}

/** A block as any source (a store, a node's API) hands it to the verifier. */
export interface RecordedBlock {
  block: SignedBlock;
  transactions: RecordedTransaction[];
  /** The events a store derived from the block; when given, replay must derive the same. */
  events?: EventRecord[];
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

export function genesisHash(genesis: Genesis): string {
  return sha256Hex(canonicalJson(genesis));
}

/** The state a replay starts from, with its commitment (and the rows of the genesis state, for a first snapshot). */
export function genesisReplay(genesis: Genesis): Replay & { rows: ChangedRow[] } {
  const state = genesisState(genesis);
  const commitment = new StateCommitment();
  const rows = commitChanges(state, commitment);
  return { state, commitment, rows };
}

/** What a replay carries from block to block. */
export interface Replay {
  state: LedgerState;
  commitment: StateCommitment;
}

/**
 * Checks a block's header against the one before: height, format, validator seal,
 * network, link and time order. All a participant who sees only its own transactions
 * can check of a block it is not party to.
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

/** A block's transactions hashed once, with the two Merkle trees over them. */
export interface BlockTrees {
  hashes: string[];
  transactionTree: MerkleTree;
  resultTree: MerkleTree;
}

export function blockTrees(transactions: readonly RecordedTransaction[]): BlockTrees {
  const hashes = transactions.map((tx) => transactionHash(tx.envelope.body));
  return {
    hashes,
    transactionTree: MerkleTree.of(transactions.map((tx, i) => transactionLeaf(hashes[i]!, tx.envelope.signatures))),
    resultTree: MerkleTree.of(transactions.map((tx, i) => resultLeaf(hashes[i]!, tx.result, tx.signers))),
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
  const { transactionTree, resultTree, hashes } = trees ?? blockTrees(recorded.transactions);
  for (const [index, tx] of recorded.transactions.entries()) {
    if (tx.hash !== undefined && tx.hash !== hashes[index]) return { height: header.height, transaction: index, reason: `stored hash ${tx.hash.slice(0, 16)}… is not the transaction's (${hashes[index]!.slice(0, 16)}…)` };
  }
  if (transactionTree.root().toString('hex') !== header.transactionRoot) return fail('transaction root does not match the stored transactions');
  if (resultTree.root().toString('hex') !== header.resultRoot) return fail('result root does not match the stored results');
  return null;
}

export interface ReplayOptions {
  /** The block's transaction hashes, if the caller computed them already. */
  hashes?: readonly string[];
  /**
   * Check every signature again and require the signer set the block committed to (the
   * verifier, an observer); otherwise replay with the committed signers, which the block's
   * result root authenticates (a follower of its own sequencer, a restart).
   */
  verifySignatures: boolean;
}

/**
 * Re-executes a block on `replay` (which it advances, even when it fails part-way),
 * compares each result with the recorded one and the state root after the block with
 * the header's, and derives the block's events and history entries.
 */
export function replayBlock(recorded: RecordedBlock, replay: Replay, options: ReplayOptions): { failure: ChainFailure | null; records: BlockRecords; changed: ChangedRow[] } {
  const { header } = recorded.block;
  const recorder = new BlockRecorder(header.height, header.timestampMs);
  recorder.blockStart(beginBlock(replay.state, header.timestampMs));
  const fail = (reason: string, transaction?: number) => ({ failure: { height: header.height, ...(transaction !== undefined && { transaction }), reason }, records: recorder.take(), changed: [] });
  for (const [index, recordedTx] of recorded.transactions.entries()) {
    const { envelope, result } = recordedTx;
    const hash = options.hashes?.[index] ?? transactionHash(envelope.body);
    let signers = recordedTx.signers;
    if (options.verifySignatures) {
      signers = sortedSigners(verifiedSigners(envelope.signatures, hash, replay.state));
      if (canonicalJson(signers) !== canonicalJson(recordedTx.signers)) return fail(`the block says ${canonicalJson(recordedTx.signers)} signed, the signatures that verify are ${canonicalJson(signers)}`, index);
    }
    const applied = applyTransaction(replay.state, { body: envelope.body, signers: new Set(signers) }, header.timestampMs);
    if (canonicalJson(applied.result) !== canonicalJson(result)) return fail(`replay gives ${canonicalJson(applied.result)}, block records ${canonicalJson(result)}`, index);
    recorder.transaction(index, envelope.body, hash, signers, applied.events);
  }
  const changed = commitChanges(replay.state, replay.commitment);
  const stateRoot = replay.commitment.root();
  if (stateRoot !== header.stateRoot) return fail(`the state after replay (root ${stateRoot.slice(0, 16)}…) is not the state the block commits to (${header.stateRoot.slice(0, 16)}…)`);
  const records = recorder.take();
  if (recorded.events !== undefined) {
    const problem = eventsProblem(recorded.events, records.events);
    if (problem !== null) return { failure: { height: header.height, ...problem }, records, changed };
  }
  return { failure: null, records, changed };
}

/** Null when a store's events for a block are exactly what replay derives, else the first that differs (and its transaction). */
function eventsProblem(stored: readonly EventRecord[], replayed: readonly EventRecord[]): { reason: string; transaction?: number } | null {
  for (const [i, event] of stored.entries()) {
    if (canonicalJson(event) === canonicalJson(replayed[i])) continue;
    const reason = `stored event ${event.height}:${event.index}:${event.n} differs from replay`;
    return event.index === 0 ? { reason } : { reason, transaction: event.index - 1 };
  }
  if (stored.length !== replayed.length) return { reason: `the store keeps ${stored.length} events for this block, replay derives ${replayed.length}` };
  return null;
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

/** A record damaged in a way the checks did not foresee still names its block rather than crashing the verifier. */
function checkBlock(recorded: RecordedBlock, genesis: Genesis, previous: SignedBlock | null, anchor: string, replay: Replay, spent: Set<string>): { failure: ChainFailure | null; records?: BlockRecords } {
  try {
    const trees = blockTrees(recorded.transactions);
    const structure = structureProblem(recorded, genesis, previous, anchor, trees);
    if (structure !== null) return { failure: structure };
    // An id commits at most once, ever: the state machine only remembers a window of them.
    for (const [index, { envelope }] of recorded.transactions.entries()) {
      const key = sha256Hex(transactionKey(envelope.body.sender, envelope.body.id)).slice(0, 24);
      if (spent.has(key)) return { failure: { height: recorded.block.header.height, transaction: index, reason: `${envelope.body.sender} reused transaction id ${envelope.body.id}` } };
      spent.add(key);
    }
    return replayBlock(recorded, replay, { hashes: trees.hashes, verifySignatures: true });
  } catch (error) {
    return { failure: { height: (previous?.header.height ?? 0) + 1, reason: `block cannot be processed: ${(error as Error).message}` } };
  }
}

export interface VerifyOptions {
  /** Stop after this block (the rest is not read). */
  untilHeight?: number;
  /** Also check the ledger invariants after each block (slower; tests use it). */
  invariantsEveryBlock?: boolean;
  /** Called with the replayed state and records after each block verifies, e.g. to compare them with a stored snapshot and history. */
  afterBlock?: (height: number, state: LedgerState, records: BlockRecords) => void;
}

/**
 * Verifies a chain from genesis: every block's hash, validator signatures, link, time
 * order and Merkle roots; every transaction's signatures (the block must say who signed);
 * replays every transaction and requires the same results and, after every block, the
 * state root the block commits to; and no transaction id used twice. Stops at the first
 * failure and names it.
 */
export async function verifyChain(genesis: Genesis, blocks: AsyncIterable<RecordedBlock>, options: VerifyOptions = {}): Promise<ChainReport> {
  const anchor = genesisHash(genesis);
  const replay = genesisReplay(genesis);
  const report: ChainReport = { genesisHash: anchor, blocks: 0, transactions: 0, headHash: null, state: replay.state, failure: null };
  if (genesis.chainVersion !== CHAIN_VERSION) {
    report.failure = { height: 0, reason: `the genesis is of chain format ${String(genesis.chainVersion)}; this verifier reads format ${CHAIN_VERSION}` };
    return report;
  }
  const spent = new Set<string>();
  let previous: SignedBlock | null = null;
  try {
    for await (const recorded of blocks) {
      const { failure, records } = checkBlock(recorded, genesis, previous, anchor, replay, spent);
      const violations = failure === null && options.invariantsEveryBlock === true ? checkInvariants(replay.state) : [];
      if (failure !== null || violations.length > 0) {
        report.failure = failure ?? { height: recorded.block.header.height, reason: `invariant broken: ${violations.map((v) => `${v.invariant} ${v.subject} (${v.detail})`).join('; ')}` };
        return report;
      }
      previous = recorded.block;
      options.afterBlock?.(recorded.block.header.height, replay.state, records!);
      report.blocks += 1;
      report.transactions += recorded.transactions.length;
      report.headHash = recorded.block.hash;
      if (options.untilHeight !== undefined && recorded.block.header.height >= options.untilHeight) return report;
    }
  } catch (error) {
    if (!(error instanceof ChainDataError)) throw error;
    report.failure = error.transaction === undefined ? { height: error.height, reason: error.message } : { height: error.height, transaction: error.transaction, reason: error.message };
    return report;
  }
  const violations = checkInvariants(replay.state);
  if (violations.length > 0) report.failure = { height: previous?.header.height ?? 0, reason: `invariant broken: ${violations.map((v) => `${v.invariant} ${v.subject}`).join('; ')}` };
  return report;
}
