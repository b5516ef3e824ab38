import type { LedgerState, Operation, TransactionBody, TransactionResult } from '../core/index.js';
import { canonicalJson, hmacSha256, sha256Hex } from './encoding.js';
import { fromBase64Url, toBase64Url, verifySignature, type Signer } from './keys.js';
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

/**
 * A transaction as one party may see it: the body without its salt, each operation
 * either disclosed (with the salt of its digest) or withheld (its digest only). From
 * this alone the transaction's hash can be recomputed, so the party can check the
 * sender's signature and the block's inclusion proof without seeing what is not its own.
 */
export interface DisclosedBody extends Omit<TransactionBody, 'salt' | 'operations'> {
  operations: DisclosedOperation[];
}
export type DisclosedOperation = { operation: Operation; salt: string } | { digest: string };
export interface DisclosedTransaction {
  body: DisclosedBody;
  signatures: TransactionSignature[];
}

const OPERATION_SALT_DOMAIN = 'depositum/operation-salt/v2\n';
const OPERATION_DOMAIN = 'depositum/operation/v2\n';

/**
 * Operation `index`'s salt: HMAC-SHA256 of its index under the transaction's secret
 * salt. Disclosing one operation's salt reveals nothing of the others', which stay
 * blinded: a withheld operation's digest cannot be tested against guesses.
 */
function operationSalt(salt: Buffer, index: number): Buffer {
  return hmacSha256(salt, `${OPERATION_SALT_DOMAIN}${index}`);
}

/**
 * The salt's bytes, from its one canonical spelling only: base64 leaves spare bits in the
 * last character, and two spellings of the same bytes would let a stored envelope change
 * without its hash changing.
 */
function saltBytes(salt: string): Buffer {
  const bytes = fromBase64Url(salt);
  if (bytes.length !== 32 || toBase64Url(bytes) !== salt) throw new TypeError('a transaction salt is the canonical base64url of 32 bytes');
  return bytes;
}

export function operationDigest(operationSaltHex: string, operation: Operation): string {
  return digestOf(Buffer.from(operationSaltHex, 'hex'), operation);
}

const OPERATION_DOMAIN_BYTES = Buffer.from(OPERATION_DOMAIN);

/** One-shot SHA-256 of the joined bytes, faster than feeding a hash object the three parts: every operation is hashed by its signer and again by the node. */
function digestOf(operationSaltBytes: Buffer, operation: Operation): string {
  return sha256Hex(Buffer.concat([OPERATION_DOMAIN_BYTES, operationSaltBytes, Buffer.from(canonicalJson(operation))]));
}

/** The document the hash is taken of: the body with each operation replaced by its digest, and without the salt. */
function commitment(body: Omit<TransactionBody, 'salt' | 'operations'>, digests: readonly string[]): string {
  const { network, id, sender, validUntilMs, atomic, reference, memo } = body;
  return canonicalJson({
    version: 2, network, id, sender, validUntilMs, operations: digests,
    ...(atomic !== undefined && { atomic }), ...(reference !== undefined && { reference }), ...(memo !== undefined && { memo }),
  });
}

/** Every operation's digest; the salt decoded and checked once for them all, not once per operation. */
export function operationDigests(body: TransactionBody): string[] {
  const salt = saltBytes(body.salt);
  return body.operations.map((operation, index) => digestOf(operationSalt(salt, index), operation));
}

/** A transaction's identity: SHA-256 of its commitment (signatures excluded, so adding one keeps the hash). */
export function transactionHash(body: TransactionBody): string {
  return sha256Hex(commitment(body, operationDigests(body)));
}

/** The hash of a transaction as a party sees it: the same as the whole transaction's. */
export function disclosedHash(body: DisclosedBody): string {
  const digests = body.operations.map((entry) => ('digest' in entry ? entry.digest : operationDigest(entry.salt, entry.operation)));
  return sha256Hex(commitment(body, digests));
}

/** The transaction with only the operations `visible` says a party may see disclosed. */
export function disclose(envelope: TransactionEnvelope, visible: (index: number) => boolean): DisclosedTransaction {
  const { salt, operations, ...rest } = envelope.body;
  const secret = saltBytes(salt);
  return {
    body: {
      ...rest,
      operations: operations.map((operation, index) => {
        const operationSaltBytes = operationSalt(secret, index);
        return visible(index) ? { operation, salt: operationSaltBytes.toString('hex') } : { digest: digestOf(operationSaltBytes, operation) };
      }),
    },
    signatures: envelope.signatures,
  };
}

/** A fresh salt for a transaction body: 32 random bytes, base64url. */
export function newSalt(): string {
  return toBase64Url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** Domain-separated, so a transaction signature can never be replayed as a block or request signature. */
export function transactionSigningMessage(hash: string): Buffer {
  return Buffer.concat([Buffer.from('depositum/transaction/v2\n'), Buffer.from(hash, 'hex')]);
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
export function verifiedSigners(signatures: readonly TransactionSignature[], hash: string, state: LedgerState): Set<string> {
  const message = transactionSigningMessage(hash);
  const signers = new Set<string>();
  for (const { signer, key, signature } of signatures) {
    const publicKey = state.participants.get(signer)?.keys.find((entry) => entry.id === key)?.publicKey;
    if (publicKey !== undefined && verifySignature(publicKey, message, signature)) signers.add(signer);
  }
  return signers;
}

/** The signers the sequencer accepted, in one order: they are part of what the block commits to. */
export function sortedSigners(signers: Iterable<string>): string[] {
  return [...signers].sort();
}

/**
 * The transaction-tree leaf commits to the hash (and so to every operation, withheld
 * or not) and to the signatures, so a party holding only its disclosed view can
 * recompute it.
 */
export function transactionLeaf(hash: string, signatures: readonly TransactionSignature[]): Buffer {
  return leafHash(canonicalLeafData(hash, signatures));
}

/**
 * The RFC 8785 form of `{ signatures, transaction }`, written with its keys in code-point
 * order: every value is a string, and JSON.stringify writes strings exactly as RFC 8785
 * does, so only the key order needs care (a test checks it against the canonicalizer).
 */
export function canonicalLeafData(hash: string, signatures: readonly TransactionSignature[]): string {
  return JSON.stringify({ signatures: signatures.map(({ key, signature, signer }) => ({ key, signature, signer })), transaction: hash });
}

/**
 * The RFC 8785 form of `{ transaction: hash, signers, ...result }`, written out directly:
 * this runs for every transaction of every block. The keys are already in code-point
 * order and no value needs escaping (a hex hash, snake_case codes, ids of [a-z0-9._-],
 * integers); a test checks it against the general canonicalizer for every code.
 */
export function canonicalResult(hash: string, result: TransactionResult, signers: readonly string[]): string {
  const signed = `"signers":[${signers.map((signer) => `"${signer}"`).join(',')}]`;
  if (result.status === 'committed') {
    if (result.rejected === undefined) return `{${signed},"status":"committed","transaction":"${hash}"}`;
    const rejected = result.rejected.map((r) => `{"code":"${r.code}","operation":${String(r.operation)}}`).join(',');
    return `{"rejected":[${rejected}],${signed},"status":"committed","transaction":"${hash}"}`;
  }
  return `{"code":"${result.code}","operation":${result.operation === null ? 'null' : String(result.operation)},${signed},"status":"rejected","transaction":"${hash}"}`;
}

/** The result-tree leaf: the transaction's hash, what became of it, and whose signatures the sequencer accepted. */
export function resultLeaf(hash: string, result: TransactionResult, signers: readonly string[]): Buffer {
  return leafHash(canonicalResult(hash, result, signers));
}
