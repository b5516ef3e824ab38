import { Type, type Static } from 'typebox';
import { Id } from '../schema.js';
import { defineEntity } from './define.js';

/** What a minter may still issue of an asset (Circle-style: issuing spends it). */
export const AllowanceSchema = Type.Object({
  asset: Id,
  minter: Id,
  remainingMinor: Type.BigInt(),
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
});
