import { Type, type Static } from 'typebox';
import { Id, literals, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

export const SETTLEMENT_STATUSES = ['proposed', 'settled', 'cancelled', 'expired'] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

/** One movement of a settlement: its sender allocates it (the amount is held on `from`), its receiver approves it. */
export const LegSchema = Type.Object({
  from: Id,
  to: Id,
  asset: Id,
  amountMinor: Type.BigInt(),
  allocated: Type.Boolean(),
  approved: Type.Boolean(),
});
export type Leg = Readonly<Static<typeof LegSchema>>;

/**
 * Several legs (any assets, any issuers: a bond against cash, USD against SGD, one bank's
 * USD token against another's) that settle in one atomic step or not at all, once every
 * sender has allocated and every receiver approved; a deadline unwinds the allocations.
 */
export const SettlementSchema = Type.Object({
  id: Id,
  proposer: Id,
  /** Who may settle once everyone has consented; empty: any party to it. */
  settlers: Type.Array(Id),
  deadlineMs: TimeMs,
  status: literals(SETTLEMENT_STATUSES),
  legs: Type.Array(LegSchema),
});
export type Settlement = Readonly<Static<typeof SettlementSchema>>;

/** What a settlement holds on `account` now: its allocated legs from it, while it is open. */
export function allocatedFrom(settlement: Settlement, account: string): bigint {
  if (settlement.status !== 'proposed') return 0n;
  return settlement.legs.reduce((sum, leg) => (leg.allocated && leg.from === account ? sum + leg.amountMinor : sum), 0n);
}

export const settlements = defineEntity({
  table: 'settlements',
  description: 'legs that settle together or not at all, once every sender allocated and every receiver approved; unwound at the deadline',
  schema: SettlementSchema,
  key: (settlement) => settlement.id,
  dueAtMs: (settlement) => (settlement.status === 'proposed' ? settlement.deadlineMs : null),
});
