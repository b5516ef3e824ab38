import { Type, type Static } from 'typebox';
import { Id, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * An issuer's consent to settle payments at par with the other issuers of its currency: the
 * account of its own that receives its tokens from its paying clients and pays its tokens
 * to its receiving clients, and how much it accepts to be owed by any one other bank.
 */
export const ParMemberSchema = Type.Object({
  asset: Id,
  issuer: Id,
  settlementAccount: Id,
  /** The most the issuer accepts to be owed, net, by any one other bank over a day; absent: no cap. */
  capMinor: Type.Optional(Type.BigInt()),
  joinedAtMs: TimeMs,
});
export type ParMember = Readonly<Static<typeof ParMemberSchema>>;

export const parMembers = defineEntity({
  table: 'par_members',
  description: 'issuers settling their token at par with the other issuers of its currency, with their settlement account and cap',
  schema: ParMemberSchema,
  key: (member) => member.asset,
});

/**
 * What one bank owes another for the payments at par of one UTC day (of block time): its
 * clients paid the other's clients that much in the tokens of the two banks. Gross; the
 * net report sets the two directions against each other.
 */
export const InterbankObligationSchema = Type.Object({
  dayMs: TimeMs,
  /** The asset the paying clients held (the debtor bank's token) and the one the receiving clients were paid in. */
  debtorAsset: Id,
  creditorAsset: Id,
  debtor: Id,
  creditor: Id,
  amountMinor: Type.BigInt(),
  payments: Type.Integer({ minimum: 0 }),
});
export type InterbankObligation = Readonly<Static<typeof InterbankObligationSchema>>;

/** Ids never contain "/", so it separates the parts safely. */
export function obligationKey(dayMs: number, debtorAsset: string, creditorAsset: string): string {
  return `${dayMs}/${debtorAsset}/${creditorAsset}`;
}

export function obligationDayKey(dayMs: number): string {
  return `day:${dayMs}`;
}

export const interbankObligations = defineEntity({
  table: 'interbank_obligations',
  description: 'what each bank owes each other bank for a day of payments at par, gross',
  schema: InterbankObligationSchema,
  key: (obligation) => obligationKey(obligation.dayMs, obligation.debtorAsset, obligation.creditorAsset),
  indexBy: (obligation) => [obligationDayKey(obligation.dayMs)],
});
