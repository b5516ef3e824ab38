import type { LedgerState, TransactionBody, TransactionResult } from '../core/index.js';
import { canonicalJson, sha256Hex } from './encoding.js';
import { toBase64Url, verifySignature, type Signer } from './keys.js';
import { leafHash } from './merkle.js';

export interface TransactionSignature {
  signer: string;
  key: string;
  /** Ed25519 over `transactionSigningMessage(hash)`, base64url. */
  signature: string;
}

/** What is submitted and stored: the body and the signatures over its hash. */
export interface TransactionEnvelope {
  body: TransactionBody;
  signatures: TransactionSignature[];
}

/** A transaction's identity: SHA-256 of the canonical body (signatures excluded, so adding one keeps the hash). */
export function transactionHash(body: TransactionBody): string {
  return sha256Hex(canonicalJson(body));
}

/** Domain-separated, so a transaction signature can never be replayed as a block or request signature. */
export function transactionSigningMessage(hash: string): Buffer {
  return Buffer.concat([Buffer.from('depositum/transaction/v1\n'), Buffer.from(hash, 'hex')]);
}

export async function signTransaction(body: TransactionBody, signers: readonly Signer[]): Promise<TransactionEnvelope> {
  const message = transactionSigningMessage(transactionHash(body));
  const signatures = await Promise.all(
    signers.map(async (signer) => ({ signer: signer.participant, key: signer.keyId, signature: toBase64Url(await signer.sign(message)) })),
  );
  return { body, signatures };
}

export type SignatureCheck =
  | { ok: true; signers: Set<string> }
  | { ok: false; reason: 'signature_missing' | 'signer_unknown' | 'signature_invalid' | 'signer_repeated'; signer?: string };

/** The participants whose signatures verify now; what the state machine is told about who signed. */
export function verifiedSigners(envelope: TransactionEnvelope, hash: string, state: LedgerState): Set<string> {
  const message = transactionSigningMessage(hash);
  const signers = new Set<string>();
  for (const { signer, key, signature } of envelope.signatures) {
    const publicKey = state.participants.get(signer)?.keys.find((entry) => entry.id === key)?.publicKey;
    if (publicKey !== undefined && verifySignature(publicKey, message, signature)) signers.add(signer);
  }
  return signers;
}

/** The transaction-tree leaf commits to the whole envelope, signatures included. */
export function transactionLeaf(canonicalEnvelope: string): Buffer {
  return leafHash(canonicalEnvelope);
}

/**
 * The RFC 8785 form of `{ transaction: hash, ...result }`, written out directly: this
 * runs for every transaction of every block. The keys are already in code-point order
 * and no value needs escaping (a hex hash, a snake_case code, an integer); a test
 * checks it against the general canonicalizer for every code.
 */
export function canonicalResult(hash: string, result: TransactionResult): string {
  if (result.status === 'committed') {
    if (result.rejected === undefined) return `{"status":"committed","transaction":"${hash}"}`;
    const rejected = result.rejected.map((r) => `{"code":"${r.code}","operation":${String(r.operation)}}`).join(',');
    return `{"rejected":[${rejected}],"status":"committed","transaction":"${hash}"}`;
  }
  return `{"code":"${result.code}","operation":${result.operation === null ? 'null' : String(result.operation)},"status":"rejected","transaction":"${hash}"}`;
}

/** The result-tree leaf: the transaction's hash and what became of it. */
export function resultLeaf(hash: string, result: TransactionResult): Buffer {
  return leafHash(canonicalResult(hash, result));
}
