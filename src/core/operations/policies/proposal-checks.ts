import type { Proposal } from '../../entities/index.js';
import type { Check, Lookup, OperationContext } from '../../operation.js';
import { mustExist } from '../checks.js';

export interface ProposalEnv { proposal: Proposal | undefined }

export function resolveProposal(ctx: OperationContext, op: { proposal: string }): ProposalEnv {
  return { proposal: ctx.draft.get('proposals', op.proposal) };
}

export function proposalExists<Op, Env extends ProposalEnv>(): Check<Op, Env> {
  return mustExist('proposal_not_found', 'proposal', 'proposal', (env) => env.proposal);
}

export function approversOf(proposal: Proposal): string[] {
  return [...new Set(proposal.requirements.flatMap((requirement) => requirement.approvers))];
}

/** Still waiting: neither executed, rejected nor lapsed (even if no block has marked it lapsed yet). */
export function stillPending<Op, Env extends ProposalEnv>(): Check<Op, Env> {
  return {
    code: 'proposal_closed', field: 'proposal',
    fails: (env, _op, ctx) => env.proposal!.status !== 'pending' || env.proposal!.expiresAtMs <= ctx.blockTimeMs,
    explain: (env) => `proposal ${env.proposal!.id} is ${env.proposal!.status === 'pending' ? 'past its approval window' : env.proposal!.status}`,
  };
}

export function proposalParties(id: string, lookup: Lookup): (string | undefined)[] {
  const found = lookup.proposal(id);
  return found === undefined ? [] : [...found.participants, ...found.accounts.map((account) => lookup.ownerOf(account))];
}

export function proposalAccounts(id: string, lookup: Lookup): readonly string[] {
  return lookup.proposal(id)?.accounts ?? [];
}
