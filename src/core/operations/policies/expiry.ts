import type { Proposal } from '../../entities/index.js';
import { defineScheduled } from '../../scheduled.js';
import { proposalExpired } from './events.js';
import { proposalParticipants } from './proposing.js';

/** At the first block at or after the end of its approval window, a proposal still pending lapses. */
export const proposalExpiry = defineScheduled({
  table: 'proposals',
  events: [proposalExpired],
  apply: (draft, entity) => {
    const proposal = entity as Proposal;
    draft.put('proposals', proposal.id, { ...proposal, status: 'expired' });
    return [{ event: proposalExpired.of({ proposal: proposal.id }, { participants: proposalParticipants(proposal) }), balances: [] }];
  },
});
