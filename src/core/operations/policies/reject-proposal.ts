import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { proposalRejected } from './events.js';
import { approversOf, proposalAccounts, proposalExists, proposalParties, resolveProposal, stillPending } from './proposal-checks.js';
import { proposalParticipants } from './proposing.js';

/** An approver rejects a proposal, or its proposer withdraws it: its operations never run. */
export const rejectProposal = operation({
  family: 'policies',
  summary: 'reject a proposal, as one of its approvers, or withdraw it, as its proposer',
  schema: Type.Object({ type: Type.Literal('reject_proposal'), proposal: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer', 'operator', 'compliance', 'signatory'],
  consent: 'an approver the proposal names, or its proposer, as the sender',
  events: [proposalRejected],
  describe: (op) => `reject proposal ${op.proposal}`,
}).resolve(resolveProposal).define({
  checks: [
    proposalExists(),
    {
      code: 'not_an_approver',
      fails: (env, _op, ctx) => env.proposal!.proposer !== ctx.sender.id && !approversOf(env.proposal!).includes(ctx.sender.id),
      explain: (env, _op, ctx) => `${ctx.sender.id} is neither the proposer of ${env.proposal!.id} nor one of its approvers (${approversOf(env.proposal!).join(', ')})`,
    },
    stillPending(),
  ],
  apply: (ctx, _op, env) => {
    const proposal = env.proposal!;
    ctx.draft.put('proposals', proposal.id, { ...proposal, status: 'rejected', rejectedBy: ctx.sender.id });
    const event = proposalRejected.of({ proposal: proposal.id, by: ctx.sender.id }, { participants: proposalParticipants(proposal) });
    return [{ event, balances: [] }];
  },
  parties: (op, lookup) => proposalParties(op.proposal, lookup),
  accounts: (op, lookup) => proposalAccounts(op.proposal, lookup),
});
