import type { Settlement } from '../../entities/index.js';
import { defineScheduled } from '../../scheduled.js';
import { settlementUnwound } from './events.js';
import { unwind } from './resolution.js';

/** At the first block at or after a settlement's deadline, if it has not settled, its allocations return to their senders. */
export const settlementExpiry = defineScheduled({
  table: 'settlements',
  events: [settlementUnwound],
  apply: (draft, entity) => unwind(draft, entity as Settlement, 'expired'),
});
