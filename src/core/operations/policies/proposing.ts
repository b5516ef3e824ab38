import canonicalize from 'canonicalize';
import type { Proposal, Requirement } from '../../entities/index.js';
import type { AppliedEvent } from '../../events.js';
import type { Draft } from '../../state.js';
import { approvalRequested } from './events.js';

/** The longest a policy lets an operation wait for its approvals. */
export const APPROVAL_WINDOW_MAX_MS = 30 * 24 * 60 * 60 * 1000;
/** How long an operation waits when a policy does not say. */
export const APPROVAL_WINDOW_DEFAULT_MS = 24 * 60 * 60 * 1000;

/**
 * The next proposal's id: proposals are never deleted, so their count numbers them the
 * same way on every node and in every replay.
 */
function nextProposalId(draft: Draft): string {
  return `proposal-${draft.state.proposals.size + draft.added('proposals') + 1}`;
}

export interface Proposing {
  proposer: string;
  signers: string[];
  operations: readonly unknown[];
  accounts: string[];
  unmet: readonly Requirement[];
  blockTimeMs: number;
}

/**
 * An operation with its keys in canonical order (RFC 8785): the node that sequenced it and
 * a replay that reads it back from the chain's canonical form must store the same bytes.
 */
function canonicalOperation(op: unknown): unknown {
  return JSON.parse(canonicalize(op) ?? 'null') as unknown;
}

/** Records operations a policy held back as a pending proposal; it lapses at the shortest window of the policies involved. */
export function propose(draft: Draft, proposing: Proposing): AppliedEvent {
  const requirements = proposing.unmet.filter((requirement, i) => proposing.unmet.findIndex((other) => other.rule === requirement.rule) === i);
  const expiresAtMs = proposing.blockTimeMs + Math.min(...requirements.map((requirement) => requirement.windowMs));
  const proposal: Proposal = {
    id: nextProposalId(draft), proposer: proposing.proposer, signers: proposing.signers, operations: proposing.operations.map(canonicalOperation), accounts: proposing.accounts,
    requirements, approvals: [], status: 'pending', createdAtMs: proposing.blockTimeMs, expiresAtMs, rejectedBy: null,
  };
  draft.put('proposals', proposal.id, proposal);
  const event = approvalRequested.of({
    proposal: proposal.id, proposer: proposal.proposer, operations: proposal.operations.length,
    requirements: requirements.map(({ rule, approvers, required }) => ({ rule, approvers, required })), expiresAtMs,
  }, { participants: proposalParticipants(proposal) });
  return { event, balances: [] };
}

/**
 * Who a proposal's own events concern: its proposer and every approver its requirements
 * name. Not the payee: it learns of a payment when it runs, not while it awaits approval.
 */
export function proposalParticipants(proposal: Proposal): string[] {
  return [...new Set([proposal.proposer, ...proposal.requirements.flatMap((requirement) => requirement.approvers)])];
}
