import { parentPort } from 'node:worker_threads';
import { merkleLevels, resultLeaf, transactionLeaf, type TransactionEnvelope } from '../chain/index.js';
import type { TransactionResult } from '../core/index.js';
import { BlockRecordView } from '../store/block-record.js';

/**
 * Hashes a block's two Merkle trees on the second core, from the very record the block log
 * will hold: each transaction's leaf (its hash and signatures) and result leaf (its hash,
 * result and signers), then every level above them. The sequencer meanwhile applies the
 * next block.
 */
export interface HashRequest {
  id: number;
  height: number;
  record: Uint8Array;
}

export type HashReply = { id: number; transactionLevels: Uint8Array[]; resultLevels: Uint8Array[] } | { id: number; error: string };

/** A level as one buffer of 32-byte hashes: one object to hand back per level, not one per node. */
const flat = (levels: Buffer[][]): Uint8Array[] => levels.map((level) => Buffer.concat(level));

function trees({ height, record }: HashRequest): { transactionLevels: Uint8Array[]; resultLevels: Uint8Array[] } {
  const view = new BlockRecordView(height, Buffer.from(record.buffer, record.byteOffset, record.byteLength));
  const transactionLeaves: Buffer[] = [];
  const resultLeaves: Buffer[] = [];
  for (const tx of view.transactions()) {
    const envelope = JSON.parse(tx.envelope) as TransactionEnvelope;
    transactionLeaves.push(transactionLeaf(tx.hash, envelope.signatures));
    resultLeaves.push(resultLeaf(tx.hash, JSON.parse(tx.result) as TransactionResult, JSON.parse(tx.signers) as string[]));
  }
  return { transactionLevels: flat(merkleLevels(transactionLeaves)), resultLevels: flat(merkleLevels(resultLeaves)) };
}

parentPort!.on('message', (request: HashRequest) => {
  let reply: HashReply;
  try {
    reply = { id: request.id, ...trees(request) };
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message };
  }
  const transfer = 'error' in reply ? [] : [...reply.transactionLevels, ...reply.resultLevels].map((level) => level.buffer as ArrayBuffer);
  parentPort!.postMessage(reply, transfer);
});
