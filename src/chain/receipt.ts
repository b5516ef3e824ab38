import type { PublicKeyEntry, TransactionResult } from '../core/index.js';
import { blockSealProblem, type SignedBlock } from './block.js';
import { verifyInclusion } from './merkle.js';
import { disclosedHash, resultLeaf, transactionHash, transactionLeaf, type DisclosedTransaction, type TransactionEnvelope } from './transaction.js';

/**
 * Proof that a transaction is in a signed block with a given result: the block's
 * header and validator signatures, and two audit paths, one into the transaction
 * root, one into the result root. Anyone holding the envelope (or a party's disclosed
 * view of it) and the validator keys can check it without asking the node anything else.
 */
export interface Receipt {
  transaction: string;
  result: TransactionResult;
  /** The signers the sequencer accepted; committed in the result leaf. */
  signers: string[];
  index: number;
  block: SignedBlock;
  transactionProof: string[];
  resultProof: string[];
}

const hex = (path: readonly string[]): Buffer[] => path.map((node) => Buffer.from(node, 'hex'));

/** Null when the receipt proves the transaction was sealed with the stated result, else why not. */
export function receiptProblem(receipt: Receipt, transaction: TransactionEnvelope | DisclosedTransaction, validators: readonly PublicKeyEntry[]): string | null {
  const hash = 'salt' in transaction.body ? transactionHash((transaction as TransactionEnvelope).body) : disclosedHash((transaction as DisclosedTransaction).body);
  if (hash !== receipt.transaction) return `receipt is for transaction ${receipt.transaction}, the transaction hashes to ${hash}`;
  const seal = blockSealProblem(receipt.block, validators);
  if (seal !== null) return seal;
  const { header } = receipt.block;
  const inTransactions = verifyInclusion(transactionLeaf(hash, transaction.signatures), receipt.index, header.transactionCount, hex(receipt.transactionProof), Buffer.from(header.transactionRoot, 'hex'));
  if (!inTransactions) return `transaction is not at index ${receipt.index} of block ${header.height}'s transaction root`;
  const inResults = verifyInclusion(resultLeaf(hash, receipt.result, receipt.signers), receipt.index, header.transactionCount, hex(receipt.resultProof), Buffer.from(header.resultRoot, 'hex'));
  if (!inResults) return `result is not at index ${receipt.index} of block ${header.height}'s result root`;
  return null;
}
