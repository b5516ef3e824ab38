import type { PublicKeyEntry, TransactionResult } from '../core/index.js';
import { blockSealProblem, type SignedBlock } from './block.js';
import { canonicalJson } from './encoding.js';
import { verifyInclusion } from './merkle.js';
import { resultLeaf, transactionHash, transactionLeaf, type TransactionEnvelope } from './transaction.js';

/**
 * Proof that a transaction is in a signed block with a given result: the block's
 * header and validator signatures, and two audit paths, one into the transaction
 * root, one into the result root. Anyone holding the envelope and the validator keys
 * can check it without asking the node anything else.
 */
export interface Receipt {
  transaction: string;
  result: TransactionResult;
  index: number;
  block: SignedBlock;
  transactionProof: string[];
  resultProof: string[];
}

const hex = (path: readonly string[]): Buffer[] => path.map((node) => Buffer.from(node, 'hex'));

/** Null when the receipt proves `envelope` was sealed with the stated result, else why not. */
export function receiptProblem(receipt: Receipt, envelope: TransactionEnvelope, validators: readonly PublicKeyEntry[]): string | null {
  const hash = transactionHash(envelope.body);
  if (hash !== receipt.transaction) return `receipt is for transaction ${receipt.transaction}, the envelope hashes to ${hash}`;
  const seal = blockSealProblem(receipt.block, validators);
  if (seal !== null) return seal;
  const { header } = receipt.block;
  const transactionRoot = Buffer.from(header.transactionRoot, 'hex');
  const inTransactions = verifyInclusion(transactionLeaf(canonicalJson(envelope)), receipt.index, header.transactionCount, hex(receipt.transactionProof), transactionRoot);
  if (!inTransactions) return `transaction is not at index ${receipt.index} of block ${header.height}'s transaction root`;
  const resultRoot = Buffer.from(header.resultRoot, 'hex');
  const inResults = verifyInclusion(resultLeaf(hash, receipt.result), receipt.index, header.transactionCount, hex(receipt.resultProof), resultRoot);
  if (!inResults) return `result is not at index ${receipt.index} of block ${header.height}'s result root`;
  return null;
}
