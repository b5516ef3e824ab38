import { Type, type Static } from 'typebox';
import { Id } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * What a minter may still issue of an asset (Circle-style: issuing spends it). While the
 * asset's reserve manager throttles minting, the part above the throttle's ceiling is
 * withheld (absent when nothing is) and given back when the throttle is lifted.
 */
export const AllowanceSchema = Type.Object({
  asset: Id,
  minter: Id,
  remainingMinor: Type.BigInt(),
  withheldMinor: Type.Optional(Type.BigInt()),
});
export type Allowance = Readonly<Static<typeof AllowanceSchema>>;

/** Ids never contain "/", so it separates the two safely (and, unlike NUL, every database stores it). */
export function allowanceKey(asset: string, minter: string): string {
  return `${asset}/${minter}`;
}

export const allowances = defineEntity({
  table: 'allowances',
  description: "each minter's remaining allowance per asset",
  schema: AllowanceSchema,
  key: (allowance) => allowanceKey(allowance.asset, allowance.minter),
  indexBy: (allowance) => [allowance.asset],
});
