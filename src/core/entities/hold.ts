import { Type, type Static } from 'typebox';
import { Id, literals, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

export const HOLD_STATUSES = ['pending', 'posted', 'voided', 'expired'] as const;
export type HoldStatus = (typeof HOLD_STATUSES)[number];

/** Funds reserved on the payer's account toward a payee until posted, voided or expired. */
export const HoldSchema = Type.Object({
  id: Id,
  asset: Id,
  payer: Id,
  payee: Id,
  amountMinor: Type.BigInt(),
  postedMinor: Type.BigInt(),
  expiresAtMs: TimeMs,
  status: literals(HOLD_STATUSES),
});
export type Hold = Readonly<Static<typeof HoldSchema>>;

export const holds = defineEntity({
  table: 'holds',
  description: 'funds reserved toward a payee until posted, voided or expired',
  schema: HoldSchema,
  key: (hold) => hold.id,
  dueAtMs: (hold) => (hold.status === 'pending' ? hold.expiresAtMs : null),
});
