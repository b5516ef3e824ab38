import type { ConditionalPayment } from '../../entities/index.js';
import { defineScheduled } from '../../scheduled.js';
import { conditionalReturned, releaseDeferred, trancheReleased } from './events.js';
import { closeConditional, releaseDue } from './resolution.js';

/**
 * At block time: a conditional payment whose deadline came returns what is still locked
 * to the payer; before that, a tranche whose time lock came (and whose other conditions
 * hold) is paid, when the payment releases automatically.
 */
export const conditionalSchedule = defineScheduled({
  table: 'conditional_payments',
  events: [conditionalReturned, trancheReleased, releaseDeferred],
  apply: (draft, entity, blockTimeMs) => {
    const payment = entity as ConditionalPayment;
    if (payment.deadlineMs <= blockTimeMs) return closeConditional(draft, payment, 'expired', 'expired');
    return releaseDue(draft, payment.id, blockTimeMs);
  },
});
