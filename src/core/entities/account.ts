import { Type, type Static } from 'typebox';
import { Id } from '../schema.js';
import { defineEntity } from './define.js';

export const AccountSchema = Type.Object({
  id: Id,
  owner: Id,
  asset: Id,
  availableMinor: Type.BigInt(),
  heldMinor: Type.BigInt(),
  frozen: Type.Boolean(),
});
export type Account = Readonly<Static<typeof AccountSchema>>;

export const accounts = defineEntity({
  table: 'accounts',
  description: "a participant's balance of one asset: available, and held for payees",
  schema: AccountSchema,
  key: (account) => account.id,
});
