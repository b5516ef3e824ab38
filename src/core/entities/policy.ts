import { Type, type Static } from 'typebox';
import { Id, literals, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/** The most approvers a policy names. */
export const POLICY_APPROVERS_MAX = 16;

/** Approvers named by a policy, k of whom must approve what it puts before them. */
const Approvers = Type.Array(Id, { minItems: 1, maxItems: POLICY_APPROVERS_MAX, uniqueItems: true });

/**
 * Maker-checker on one account, set by its owner: a payment out of it above
 * `approvalAboveMinor` waits as a proposal until `approvalsRequired` of `approvers`
 * approve; per-payment and daily limits and the allowed counterparties are hard rules.
 * The day's spending is kept here (UTC days of block time), so the daily limit is state.
 */
export const AccountPolicySchema = Type.Object({
  account: Id,
  approvers: Approvers,
  approvalsRequired: Type.Integer({ minimum: 1 }),
  approvalAboveMinor: Type.BigInt(),
  perPaymentLimitMinor: Type.Optional(Type.BigInt()),
  dailyLimitMinor: Type.Optional(Type.BigInt()),
  /** Participants whose accounts may be paid from this one; absent: any. */
  counterparties: Type.Optional(Type.Array(Id)),
  /** How long a payment waits for its approvals before it lapses. */
  approvalWindowMs: Type.Integer({ minimum: 1 }),
  /** The start (00:00 UTC) of the day `spentMinor` counts. */
  spentDayMs: TimeMs,
  spentMinor: Type.BigInt(),
  /** False once removed: the account is governed by nothing (removing needs the approvers, like any change). */
  enabled: Type.Boolean(),
});
export type AccountPolicy = Readonly<Static<typeof AccountPolicySchema>>;

/** Administrative acts a participant may put under dual control. */
export const CONTROL_ACTS = ['issue', 'force_transfer', 'unfreeze_account', 'change_roles'] as const;
export type ControlAct = (typeof CONTROL_ACTS)[number];

/** Above this amount of this asset, an issue needs the second officer. */
export const IssueThreshold = Type.Object({ asset: Id, aboveMinor: Type.BigInt() });

/**
 * Dual control over a participant's own administrative acts (the operator's, an issuer's):
 * each act it lists needs `approvalsRequired` of `approvers` (its other officers). An issue
 * needs them only above its asset's threshold, when one is listed.
 */
export const ControlPolicySchema = Type.Object({
  participant: Id,
  approvers: Approvers,
  approvalsRequired: Type.Integer({ minimum: 1 }),
  acts: Type.Array(literals(CONTROL_ACTS), { uniqueItems: true }),
  issueThresholds: Type.Array(IssueThreshold),
  approvalWindowMs: Type.Integer({ minimum: 1 }),
});
export type ControlPolicy = Readonly<Static<typeof ControlPolicySchema>>;

/** One policy's demand on a proposal: `required` of `approvers`. */
export const RequirementSchema = Type.Object({ rule: Type.String(), approvers: Type.Array(Id), required: Type.Integer({ minimum: 1 }), windowMs: Type.Integer({ minimum: 1 }) });
export type Requirement = Readonly<Static<typeof RequirementSchema>>;

export const PROPOSAL_STATUSES = ['pending', 'executed', 'rejected', 'expired'] as const;

/**
 * Operations a policy held back: they were valid when sent, and run (checked again) as
 * their proposer sent them once every requirement has its approvals. They lapse at
 * `expiresAtMs`. The accounts they name are kept so their owners may see the proposal.
 */
export const ProposalSchema = Type.Object({
  id: Id,
  proposer: Id,
  /** Who signed the transaction that made the proposal. */
  signers: Type.Array(Id),
  operations: Type.Array(Type.Unknown()),
  accounts: Type.Array(Id),
  requirements: Type.Array(RequirementSchema),
  approvals: Type.Array(Id),
  status: literals(PROPOSAL_STATUSES),
  createdAtMs: TimeMs,
  expiresAtMs: TimeMs,
  /** Who rejected it, when rejected. */
  rejectedBy: Type.Union([Id, Type.Null()]),
});
export type Proposal = Readonly<Static<typeof ProposalSchema>>;

/** Whether every requirement has its approvals among `approvals`. */
export function requirementsMet(requirements: readonly Requirement[], approvals: ReadonlySet<string>): boolean {
  return requirements.every((requirement) => requirement.approvers.filter((approver) => approvals.has(approver)).length >= requirement.required);
}

export const accountPolicies = defineEntity({
  table: 'account_policies',
  description: "an account's maker-checker rule: approvals above an amount, limits and allowed counterparties",
  schema: AccountPolicySchema,
  key: (policy) => policy.account,
});

export const controlPolicies = defineEntity({
  table: 'control_policies',
  description: "a participant's dual control: which of its administrative acts need a second officer",
  schema: ControlPolicySchema,
  key: (policy) => policy.participant,
});

export const proposals = defineEntity({
  table: 'proposals',
  description: 'operations waiting for the approvals a policy requires, until executed, rejected or lapsed',
  schema: ProposalSchema,
  key: (proposal) => proposal.id,
  dueAtMs: (proposal) => (proposal.status === 'pending' ? proposal.expiresAtMs : null),
});
