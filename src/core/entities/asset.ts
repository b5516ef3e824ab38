import { Type, type Static } from 'typebox';
import { Decimals, Id, literals } from '../schema.js';
import { defineEntity } from './define.js';

import { ASSET_KINDS } from '../vocabulary.js';

export { ASSET_KINDS, type AssetKind } from '../vocabulary.js';

export const AssetSchema = Type.Object({
  id: Id,
  kind: literals(ASSET_KINDS),
  /** ISO 4217 currency code for money, ISIN for a security. */
  code: Type.String(),
  decimals: Decimals,
  issuer: Id,
  paused: Type.Boolean(),
  issuedMinor: Type.BigInt(),
  redeemedMinor: Type.BigInt(),
});
export type Asset = Readonly<Static<typeof AssetSchema>>;

export const assets = defineEntity({
  table: 'assets',
  description: 'deposit tokens, stablecoins and securities, with their issuer and supply',
  schema: AssetSchema,
  key: (asset) => asset.id,
});
