import { Type } from 'typebox';
import { requirementsMet, type Proposal } from '../../entities/index.js';
import type { AppliedEvent } from '../../events.js';
import { operation, type Execution, type OperationContext } from '../../operation.js';
import { Id } from '../../schema.js';
import { proposalApproved, proposalExecuted } from './events.js';
import { approversOf, proposalAccounts, proposalExists, proposalParties, resolveProposal, stillPending, type ProposalEnv } from './proposal-checks.js';
import { proposalParticipants } from './proposing.js';

interface ApproveEnv extends ProposalEnv {
  /** The run of the proposal's operations this approval completes, once computed (null: it completes nothing). */
  execution?: Execution | null;
}

function approvalsWith(proposal: Proposal, approver: string): Set<string> {
  return new Set([...proposal.approvals, approver]);
}

/** Runs the proposal if this approval completes its requirements; computed once per operation. */
function executionOf(env: ApproveEnv, ctx: OperationContext): Execution | null {
  if (env.execution === undefined) {
    const approvals = approvalsWith(env.proposal!, ctx.sender.id);
    env.execution = requirementsMet(env.proposal!.requirements, approvals) ? ctx.execute(ctx.draft, env.proposal!, approvals) : null;
  }
  return env.execution;
}

/**
 * An approver a proposal's requirements name approves it, never its own proposer. The
 * approval that completes every requirement runs the operations, checked again now, as
 * their proposer sent them; if one would fail, the approval is refused and the proposal
 * keeps waiting (for funds, say) until its window ends.
 */
export const approveProposal = operation({
  family: 'policies',
  summary: 'approve a proposal a policy held back, as one of the approvers it names (the last approval runs it)',
  schema: Type.Object({ type: Type.Literal('approve_proposal'), proposal: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer', 'operator', 'compliance', 'signatory'],
  consent: 'an approver the proposal names, as the sender (not its proposer)',
  events: [proposalApproved, proposalExecuted],
  describe: (op) => `approve proposal ${op.proposal}`,
}).resolve((ctx, op): ApproveEnv => resolveProposal(ctx, op)).define({
  checks: [
    proposalExists(),
    { code: 'not_an_approver', fails: (env, _op, ctx) => !approversOf(env.proposal!).includes(ctx.sender.id), explain: (env, _op, ctx) => `${ctx.sender.id} is not an approver of proposal ${env.proposal!.id} (its approvers: ${approversOf(env.proposal!).join(', ')})` },
    { code: 'own_proposal', fails: (env, _op, ctx) => env.proposal!.proposer === ctx.sender.id, explain: (env) => `${env.proposal!.proposer} proposed ${env.proposal!.id}: another approver must approve it` },
    stillPending(),
    { code: 'approval_already_given', fails: (env, _op, ctx) => env.proposal!.approvals.includes(ctx.sender.id), explain: (env, _op, ctx) => `${ctx.sender.id} approved proposal ${env.proposal!.id} already` },
    {
      code: 'proposal_failed',
      fails: (env, _op, ctx) => executionOf(env, ctx)?.ok === false,
      explain: (env, _op, ctx) => {
        const failed = executionOf(env, ctx) as Extract<Execution, { ok: false }>;
        return `proposal ${env.proposal!.id} would run now, and its operation ${failed.operation} fails: ${failed.code}: ${failed.message}`;
      },
    },
  ],
  apply: (ctx, _op, env) => {
    const proposal = env.proposal!;
    const approvals = [...approvalsWith(proposal, ctx.sender.id)];
    const concerns = { participants: proposalParticipants(proposal) };
    const events: AppliedEvent[] = [{ event: proposalApproved.of({ proposal: proposal.id, approver: ctx.sender.id, approvals }, concerns), balances: [] }];
    const execution = executionOf(env, ctx);
    // Ran cleanly, and no policy changed since to want more: the operations' effects are kept.
    if (execution?.ok === true && execution.unmet.length === 0) {
      execution.draft.commit();
      ctx.draft.put('proposals', proposal.id, { ...proposal, approvals, status: 'executed' });
      events.push(...execution.events, { event: proposalExecuted.of({ proposal: proposal.id, approvals }, concerns), balances: [] });
    } else {
      const requirements = execution?.ok === true ? [...proposal.requirements, ...execution.unmet.filter((r) => !proposal.requirements.some((known) => known.rule === r.rule))] : proposal.requirements;
      ctx.draft.put('proposals', proposal.id, { ...proposal, approvals, requirements });
    }
    return events;
  },
  parties: (op, lookup) => proposalParties(op.proposal, lookup),
  accounts: (op, lookup) => proposalAccounts(op.proposal, lookup),
});
