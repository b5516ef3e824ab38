import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { Amount, Id, literals, TimeMs } from '../../schema.js';
import { CONTROL_ACTS, RequirementSchema } from '../../entities/index.js';

const Requirements = Type.Array(Type.Omit(RequirementSchema, ['windowMs']));

export const approvalRequested = defineEvent('approval_requested', "a policy held the transaction's operations back: they wait as a proposal for the approvals it requires", Type.Object({
  proposal: Id, proposer: Id, operations: Type.Integer({ minimum: 1 }), requirements: Requirements, expiresAtMs: TimeMs,
}));

export const proposalApproved = defineEvent('proposal_approved', 'an approver approved a proposal', Type.Object({ proposal: Id, approver: Id, approvals: Type.Array(Id) }));

export const proposalExecuted = defineEvent('proposal_executed', "a proposal had every approval it needed: its operations ran, as its proposer sent them", Type.Object({ proposal: Id, approvals: Type.Array(Id) }));

export const proposalRejected = defineEvent('proposal_rejected', 'an approver rejected a proposal, or its proposer withdrew it: its operations will not run', Type.Object({ proposal: Id, by: Id }));

export const proposalExpired = defineEvent('proposal_expired', 'a proposal lapsed at the end of its approval window without its approvals', Type.Object({ proposal: Id }));

export const accountPolicySet = defineEvent('account_policy_set', "an account's policy was set or changed", Type.Object({
  account: Id, approvers: Type.Array(Id), approvalsRequired: Type.Integer(), approvalAbove: Amount,
  perPaymentLimit: Type.Optional(Amount), dailyLimit: Type.Optional(Amount), counterparties: Type.Optional(Type.Array(Id)), approvalWindowMs: Type.Integer(),
}));

export const accountPolicyRemoved = defineEvent('account_policy_removed', "an account's policy was removed", Type.Object({ account: Id }));

export const controlPolicySet = defineEvent('control_policy_set', "a participant's dual control was set or changed", Type.Object({
  participant: Id, approvers: Type.Array(Id), approvalsRequired: Type.Integer(), acts: Type.Array(literals(CONTROL_ACTS)),
  issueThresholds: Type.Array(Type.Object({ asset: Id, above: Amount })), approvalWindowMs: Type.Integer(),
}));
