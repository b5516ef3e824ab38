import { Type, type Static } from 'typebox';
import { Hex32, Id, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * A trade agreement as its parties signed it: the SHA-256 of the agreement document (kept by
 * the trade module and the parties; only its hash is on the ledger), its version, and who of
 * the buyer and the seller signed that version. It is concluded when both have. A later
 * version replaces it and must be signed by both again; every signature stays in the feed.
 */
export const TradeAgreementSchema = Type.Object({
  id: Id,
  version: Type.Integer({ minimum: 1 }),
  hash: Hex32,
  buyer: Id,
  seller: Id,
  signedBy: Type.Array(Id),
  concludedAtMs: Type.Union([TimeMs, Type.Null()]),
});
export type TradeAgreement = Readonly<Static<typeof TradeAgreementSchema>>;

export const tradeAgreements = defineEntity({
  table: 'trade_agreements',
  description: 'trade agreements by the hash each party signed, and whether both have',
  schema: TradeAgreementSchema,
  key: (agreement) => agreement.id,
});
