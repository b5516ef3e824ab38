import { Type } from 'typebox';
import type { Hold } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { defineScheduled } from '../../scheduled.js';
import { Amount, Id } from '../../schema.js';
import { withBalances } from '../effects.js';
import { holdAmount, release } from './release.js';

export const holdExpired = defineEvent('hold_expired', "a hold's time came before it was posted or voided: its funds returned to the payer", Type.Object({ hold: Id, from: Id, to: Id, asset: Id, amount: Amount }));

/** At the first block at or after a pending hold's expiry, its funds return to the payer. */
export const holdExpiry = defineScheduled({
  table: 'holds',
  events: [holdExpired],
  apply: (draft, entity) => {
    const hold = entity as Hold;
    release(draft, hold, 0n, 'expired');
    const event = holdExpired.of({ hold: hold.id, from: hold.payer, to: hold.payee, asset: hold.asset, amount: holdAmount(draft, hold, hold.amountMinor) }, { accounts: [hold.payer, hold.payee] });
    return [withBalances(draft, event)];
  },
});
