import { Type, type Static } from 'typebox';
import { Hex32, Id, Reference, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * Who watches an asset's reserves (appointed by its issuer) and, while reserves do not
 * cover the supply well enough, the throttle it set on minting: no minter of the asset
 * may hold more remaining allowance than the ceiling (zero stops minting). The ledger
 * enforces it on every allowance, so the throttle holds whether or not the manager's
 * software runs; only the manager lifts it. Redemptions are never throttled.
 */
export const ReserveMandateSchema = Type.Object({
  asset: Id,
  manager: Id,
  appointedAtMs: TimeMs,
  throttle: Type.Optional(Type.Object({
    ceilingMinor: Type.BigInt(),
    /** Why, as the manager put it (a coverage figure, a report's id). */
    reason: Reference,
    sinceMs: TimeMs,
  })),
});
export type ReserveMandate = Readonly<Static<typeof ReserveMandateSchema>>;

export const reserveMandates = defineEntity({
  table: 'reserve_mandates',
  description: "each asset's reserve manager, and the throttle it holds on minting",
  schema: ReserveMandateSchema,
  key: (mandate) => mandate.asset,
});

/**
 * A day's signed word on an asset's reserves: the supply the report was made at (and the
 * ledger's own supply when the attestation was recorded), the eligible reserves at market
 * value in the asset's currency, the Merkle root over the holdings (RFC 6962, one leaf per
 * holding) and the SHA-256 of the report. Anyone checks from the chain that the supply was
 * covered, and a holder checks one holding against the root. The latest attestation of a
 * day stands (a corrected report is attested again); every one stays in the feed.
 */
export const ReserveAttestationSchema = Type.Object({
  asset: Id,
  /** The report's day (`2026-12-06`) or id. */
  report: Reference,
  reportHash: Hex32,
  holdingsRoot: Hex32,
  holdings: Type.Integer({ minimum: 0 }),
  reservesMinor: Type.BigInt(),
  supplyMinor: Type.BigInt(),
  supplyAtAttestationMinor: Type.BigInt(),
  attestedBy: Id,
  attestedAtMs: TimeMs,
});
export type ReserveAttestation = Readonly<Static<typeof ReserveAttestationSchema>>;

/** Asset ids never contain "/", so the first one separates the asset from the report. */
export function reserveAttestationKey(asset: string, report: string): string {
  return `${asset}/${report}`;
}

export const reserveAttestations = defineEntity({
  table: 'reserve_attestations',
  description: "reserve managers' daily attestations of an asset's reserves against its supply",
  schema: ReserveAttestationSchema,
  key: (attestation) => reserveAttestationKey(attestation.asset, attestation.report),
});
