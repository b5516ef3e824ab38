import { Type, type Static } from 'typebox';
import { Hex32, Id, Reference, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * An issuer's signed word, after reconciling one bank statement of its omnibus (token
 * reserve) account, that the statement's balance is the token's supply at the statement's
 * cut-off plus the money in transit each way (both still in the account); or that it is not, with how many breaks.
 * The ledger adds the supply it held when the attestation was recorded, so an auditor can
 * set the claim against the chain alone. The latest attestation of a statement stands
 * (one is attested again once its breaks are resolved); every one stays in the feed.
 */
export const ReconciliationSchema = Type.Object({
  asset: Id,
  statement: Reference,
  /** SHA-256 of the statement's bytes as the bank sent them. */
  statementHash: Hex32,
  cutoffMs: TimeMs,
  statementBalanceMinor: Type.BigInt(),
  /** The supply at the cut-off, as the attester reads the chain. */
  supplyMinor: Type.BigInt(),
  /** Credits the bank booked by the cut-off that were not yet minted, and redemptions it had not yet paid out: both still in the account. */
  creditsInTransitMinor: Type.BigInt(),
  payoutsInTransitMinor: Type.BigInt(),
  breaks: Type.Integer({ minimum: 0 }),
  attestedBy: Id,
  attestedAtMs: TimeMs,
  /** The supply when the attestation was recorded: the ledger's own figure. */
  supplyAtAttestationMinor: Type.BigInt(),
});
export type Reconciliation = Readonly<Static<typeof ReconciliationSchema>>;

/** Asset ids never contain "/", so the first one separates the asset from the statement's id. */
export function reconciliationKey(asset: string, statement: string): string {
  return `${asset}/${statement}`;
}

export const reconciliations = defineEntity({
  table: 'reconciliations',
  description: "issuers' attestations that a bank statement of their omnibus account matches the token's supply",
  schema: ReconciliationSchema,
  key: (reconciliation) => reconciliationKey(reconciliation.asset, reconciliation.statement),
});
