import { verifySignature } from '../chain/keys.js';
import { transactionSigningMessage } from '../chain/transaction.js';

/** One Ed25519 check: `signature` by `publicKey` over the signing message of transaction `hash`. */
export interface SignatureTask {
  publicKey: string;
  hash: string;
  signature: string;
}

/** Runs in a worker thread: verifies a batch, answering one boolean per task. */
export default function verifyBatch(tasks: SignatureTask[]): boolean[] {
  return tasks.map((task) => verifySignature(task.publicKey, transactionSigningMessage(task.hash), task.signature));
}
