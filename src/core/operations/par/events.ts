import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { Amount, Id } from '../../schema.js';

export const parSettlementJoined = defineEvent('par_settlement_joined', "an issuer settles its token at par with the other issuers of its currency, through its settlement account (joining again changes the account or the cap)", Type.Object({
  asset: Id, issuer: Id, settlementAccount: Id, cap: Type.Union([Amount, Type.Null()]),
}));

export const paidAtPar = defineEvent('paid_at_par', "a client of one bank paid a client of another in the same currency: the payer's tokens went to its bank's settlement account, the payee's bank paid its own from its settlement account, and the payer's bank owes the payee's bank the amount", Type.Object({
  from: Id, to: Id, amount: Amount, currency: Type.String(), fromAsset: Id, toAsset: Id, debtor: Id, creditor: Id,
  /** The UTC day (of block time) whose net settlement report counts the payment, as YYYY-MM-DD. */
  day: Type.String(),
}));
