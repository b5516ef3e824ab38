import {
  canonicalJson, genesisHash, MerkleTree, resultLeaf, signBlock, transactionLeaf, verifiedSigners,
  type BlockHeader, type Receipt, type SignedBlock, type Signer, type TransactionEnvelope,
} from '../chain/index.js';
import {
  applyTransaction, beginBlock, entityFromJson, entityToJson, genesisState, LedgerState, TABLE_NAMES, transactionKey,
  type Entities, type Genesis, type TableName,
} from '../core/index.js';
import type { StateRow, Store, StoredTransaction } from '../store/types.js';

/** A transaction that passed admission: decoded, hashed and encoded once, its signers verified. */
export interface AdmittedTransaction {
  envelope: TransactionEnvelope;
  hash: string;
  canonicalEnvelope: string;
  signers: Set<string>;
  /** The state's participantsVersion when the signatures were checked. */
  participantsVersion: number;
}

/** A block on disk, with its trees kept so receipts can be cut without reading it back. */
export class CommittedBlock {
  constructor(
    readonly block: SignedBlock,
    readonly transactions: readonly StoredTransaction[],
    readonly expiredHolds: readonly string[],
    private readonly transactionTree: MerkleTree,
    private readonly resultTree: MerkleTree,
  ) {}

  receipt(position: number): Receipt {
    const tx = this.transactions[position];
    if (tx === undefined) throw new RangeError(`block ${this.block.header.height} has no transaction ${position}`);
    return {
      transaction: tx.hash,
      result: tx.result,
      index: position,
      block: this.block,
      transactionProof: this.transactionTree.proof(position).map((node) => node.toString('hex')),
      resultProof: this.resultTree.proof(position).map((node) => node.toString('hex')),
    };
  }

  static fromStored(block: SignedBlock, transactions: readonly StoredTransaction[]): CommittedBlock {
    const transactionTree = new MerkleTree(transactions.map((tx) => transactionLeaf(canonicalJson(tx.envelope))));
    const resultTree = new MerkleTree(transactions.map((tx) => resultLeaf(tx.hash, tx.result)));
    return new CommittedBlock(block, transactions, [], transactionTree, resultTree);
  }
}

function stateFromRows(genesis: Genesis, rows: readonly StateRow[]): LedgerState {
  if (rows.length === 0) return genesisState(genesis);
  const state = new LedgerState();
  for (const row of rows) {
    (state.table(row.table) as Map<string, Entities[TableName]>).set(row.id, entityFromJson<Entities[TableName]>(row.body));
  }
  for (const hold of state.holds.values()) if (hold.status === 'pending') state.addHoldDeadline(hold);
  return state;
}

/**
 * Owns the in-memory state and turns batches of admitted transactions into signed,
 * durable blocks. Only the sequencer calls produceBlock, one block at a time. If a
 * block cannot be written the engine stops for good: memory is ahead of disk, and
 * the only safe continuation is a restart from what is durable.
 */
export class Engine {
  private failure: Error | null = null;

  private constructor(
    readonly store: Store,
    readonly genesis: Genesis,
    readonly genesisHash: string,
    private readonly validators: readonly Signer[],
    readonly state: LedgerState,
    private latest: SignedBlock | null,
  ) {}

  static async open(store: Store, genesis: Genesis, validators: readonly Signer[]): Promise<Engine> {
    const stored = await store.genesis();
    if (stored === null) await store.saveGenesis(genesis);
    else if (canonicalJson(stored) !== canonicalJson(genesis)) throw new Error('the store belongs to another network (genesis differs)');
    const head = await store.head();
    const state = stateFromRows(genesis, head === null ? [] : await store.stateRows());
    for (const key of await store.transactionKeys(head?.header.timestampMs ?? 0)) state.addTransactionKey(transactionKey(key.sender, key.id), key.validUntilMs);
    if (head !== null) state.takeChanges();
    return new Engine(store, genesis, genesisHash(genesis), validators, state, head);
  }

  get head(): SignedBlock | null {
    return this.latest;
  }

  get failed(): Error | null {
    return this.failure;
  }

  async produceBlock(admitted: readonly AdmittedTransaction[], timestampMs: number): Promise<CommittedBlock> {
    if (this.failure !== null) throw this.failure;
    try {
      return await this.build(admitted, timestampMs);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw this.failure;
    }
  }

  private async build(admitted: readonly AdmittedTransaction[], timestampMs: number): Promise<CommittedBlock> {
    const height = (this.latest?.header.height ?? 0) + 1;
    const { expiredHolds } = beginBlock(this.state, timestampMs);
    const transactions: (StoredTransaction & { canonicalEnvelope: string })[] = [];
    for (const [position, tx] of admitted.entries()) {
      const signers = tx.participantsVersion === this.state.participantsVersion ? tx.signers : verifiedSigners(tx.envelope, tx.hash, this.state);
      const applied = applyTransaction(this.state, { body: tx.envelope.body, signers }, timestampMs);
      transactions.push({
        hash: tx.hash, height, position, envelope: tx.envelope, canonicalEnvelope: tx.canonicalEnvelope,
        result: applied.result, accounts: [...applied.accounts], parties: [...applied.parties],
      });
    }
    const transactionTree = new MerkleTree(transactions.map((tx) => transactionLeaf(tx.canonicalEnvelope)));
    const resultTree = new MerkleTree(transactions.map((tx) => resultLeaf(tx.hash, tx.result)));
    const header: BlockHeader = {
      network: this.genesis.network,
      height,
      previousHash: this.latest?.hash ?? this.genesisHash,
      timestampMs,
      transactionCount: transactions.length,
      transactionRoot: transactionTree.root().toString('hex'),
      resultRoot: resultTree.root().toString('hex'),
    };
    const block = await signBlock(header, this.validators);
    await this.store.commitBlock({ block, transactions, state: this.changedRows() });
    this.latest = block;
    return new CommittedBlock(block, transactions, expiredHolds, transactionTree, resultTree);
  }

  private changedRows(): StateRow[] {
    const changes = this.state.takeChanges();
    const rows: StateRow[] = [];
    for (const table of TABLE_NAMES) {
      const current = this.state.table(table);
      for (const id of changes[table]) rows.push({ table, id, body: entityToJson(current.get(id) as object) });
    }
    return rows;
  }
}
