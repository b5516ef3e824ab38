import { CHAIN_VERSION } from '../core/chain-version.js';
import type { PublicKeyEntry } from '../core/index.js';
import { canonicalJson, sha256Hex } from './encoding.js';
import { toBase64Url, verifySignature, type Signer } from './keys.js';

export interface BlockHeader {
  version: number;
  network: string;
  height: number;
  /** The previous block's hash; for block 1, the genesis hash. */
  previousHash: string;
  /** Assigned by the sequencer, strictly increasing. */
  timestampMs: number;
  transactionCount: number;
  transactionRoot: string;
  resultRoot: string;
  /** The state after this block (see chain/state-root.ts): what a node that loads a snapshot must find. */
  stateRoot: string;
}

export interface BlockSignature {
  validator: string;
  signature: string;
}

export interface SignedBlock {
  header: BlockHeader;
  hash: string;
  signatures: BlockSignature[];
}

export function blockHash(header: BlockHeader): string {
  return sha256Hex(canonicalJson(header));
}

export function blockSigningMessage(hash: string): Buffer {
  return Buffer.concat([Buffer.from(`depositum/block/v${CHAIN_VERSION}\n`), Buffer.from(hash, 'hex')]);
}

export async function signBlock(header: BlockHeader, validators: readonly Signer[]): Promise<SignedBlock> {
  const hash = blockHash(header);
  const message = blockSigningMessage(hash);
  const signatures = await Promise.all(
    validators.map(async (validator) => ({ validator: validator.keyId, signature: toBase64Url(await validator.sign(message)) })),
  );
  return { header, hash, signatures };
}

/** Null when the stored hash is the header's and every genesis validator signed it, else what is wrong. */
export function blockSealProblem(block: SignedBlock, validators: readonly PublicKeyEntry[]): string | null {
  if (block.header.version !== CHAIN_VERSION) return `block format ${String(block.header.version)} is not ${CHAIN_VERSION}`;
  const hash = blockHash(block.header);
  if (hash !== block.hash) return `block hash ${block.hash.slice(0, 16)}… does not match its header (${hash.slice(0, 16)}…)`;
  const message = blockSigningMessage(hash);
  for (const validator of validators) {
    const signature = block.signatures.find((entry) => entry.validator === validator.id);
    if (signature === undefined) return `validator ${validator.id} did not sign`;
    if (!verifySignature(validator.publicKey, message, signature.signature)) return `validator ${validator.id}'s signature is invalid`;
  }
  return null;
}
