import type { Static } from 'typebox';
import type { OperationDefinition } from '../operation.js';
import type { ScheduledEffect } from '../scheduled.js';
import { openAccount } from './accounts/open-account.js';
import { freezeAccount } from './accounts/freeze-account.js';
import { unfreezeAccount } from './accounts/unfreeze-account.js';
import { defineAsset } from './assets/define-asset.js';
import { pauseAsset } from './assets/pause-asset.js';
import { unpauseAsset } from './assets/unpause-asset.js';
import { approveConditional } from './conditional/approve.js';
import { attest } from './conditional/attest.js';
import { cancelConditional } from './conditional/cancel.js';
import { createConditional } from './conditional/create.js';
import { decideDispute } from './conditional/decide.js';
import { disputeConditional } from './conditional/dispute.js';
import { releaseConditional } from './conditional/release.js';
import { conditionalSchedule } from './conditional/schedule.js';
import { placeHold } from './holds/hold.js';
import { holdExpiry } from './holds/expiry.js';
import { postHold } from './holds/post.js';
import { voidHold } from './holds/void.js';
import { cancelStandingInstruction } from './instructions/cancel.js';
import { instructionRun } from './instructions/run.js';
import { setStandingInstruction } from './instructions/set.js';
import { attestReconciliation } from './issuance/attest-reconciliation.js';
import { configureMinter } from './issuance/configure-minter.js';
import { issue } from './issuance/issue.js';
import { redeem } from './issuance/redeem.js';
import { approveProposal } from './policies/approve-proposal.js';
import { proposalExpiry } from './policies/expiry.js';
import { rejectProposal } from './policies/reject-proposal.js';
import { removeAccountPolicy } from './policies/remove-account-policy.js';
import { setAccountPolicy } from './policies/set-account-policy.js';
import { setControlPolicy } from './policies/set-control-policy.js';
import { registerParticipant } from './participants/register-participant.js';
import { updateParticipant } from './participants/update-participant.js';
import { forceTransfer } from './payments/force-transfer.js';
import { joinParSettlement } from './par/join.js';
import { transferAtPar } from './par/transfer-at-par.js';
import { allocateSettlement } from './settlement/allocate.js';
import { approveSettlement } from './settlement/approve.js';
import { cancelSettlement } from './settlement/cancel.js';
import { proposeSettlement } from './settlement/propose.js';
import { settlementExpiry } from './settlement/schedule.js';
import { settle } from './settlement/settle.js';
import { transfer } from './payments/transfer.js';
import { fileReport } from './compliance/file-report.js';
import { setTravelRuleThreshold } from './travel-rule/set-threshold.js';
import { appointReserveManager } from './reserves/appoint-manager.js';
import { attestReserves } from './reserves/attest.js';
import { liftMintingThrottle } from './reserves/lift.js';
import { throttleMinting } from './reserves/throttle.js';
import { signAgreement } from './trade/sign-agreement.js';

/**
 * Every operation the ledger knows, each a registered unit (one file under its family).
 * The state machine dispatches on this list, and the API, SDK, CLI and docs derive
 * their schemas, builders, choices and tables from it. Adding an operation is adding
 * its file and one entry here.
 */
export const OPERATIONS = [
  registerParticipant, updateParticipant,
  defineAsset, pauseAsset, unpauseAsset,
  openAccount, freezeAccount, unfreezeAccount,
  configureMinter, issue, redeem, attestReconciliation,
  transfer, forceTransfer,
  placeHold, postHold, voidHold,
  createConditional, approveConditional, attest, releaseConditional, cancelConditional, disputeConditional, decideDispute,
  proposeSettlement, allocateSettlement, approveSettlement, settle, cancelSettlement,
  setAccountPolicy, removeAccountPolicy, setControlPolicy, approveProposal, rejectProposal,
  setStandingInstruction, cancelStandingInstruction,
  joinParSettlement, transferAtPar,
  fileReport, setTravelRuleThreshold,
  appointReserveManager, throttleMinting, liftMintingThrottle, attestReserves,
  signAgreement,
] as const;

/** What the scheduler does at block time, per entity that falls due. */
export const SCHEDULED_EFFECTS: readonly ScheduledEffect[] = [holdExpiry, conditionalSchedule, settlementExpiry, proposalExpiry, instructionRun];

/** An operation as signed: the union of every registered operation's schema. */
export type Operation = Static<(typeof OPERATIONS)[number]['schema']>;
export type OperationType = Operation['type'];
export type OperationOf<T extends OperationType> = Extract<Operation, { type: T }>;

const BY_TYPE = new Map<string, OperationDefinition>(OPERATIONS.map((definition) => [definition.type as string, definition as unknown as OperationDefinition]));

export function operationDefinition(type: string): OperationDefinition | undefined {
  return BY_TYPE.get(type);
}

/** An operation in words (its definition's own wording), or its raw form if the type is unknown. */
export function describeOperation(op: { type: string }): string {
  const definition = operationDefinition(op.type);
  return definition === undefined ? JSON.stringify(op) : definition.describe(op as never);
}

export const OPERATION_TYPES = OPERATIONS.map((definition) => definition.type) as OperationType[];

export { HOLD_DURATION_MAX_MS } from './holds/hold.js';
export { kycProblem } from './checks.js';
export { approvalRequested } from './policies/events.js';
export { dayOf } from './policies/rules.js';
export { conditionalParties } from './conditional/resolution.js';
export { settlementParties } from './settlement/resolution.js';
export { LEGS_MAX, SETTLERS_MAX } from './settlement/propose.js';
export { APPROVERS_MAX, ATTESTATIONS_MAX, CONDITIONAL_DURATION_MAX_MS, TRANCHES_MAX } from './conditional/create.js';
export { ParticipantSpec, participantFromSpec } from './participants/spec.js';
export { INSTRUCTIONS_PER_ACCOUNT_MAX } from './instructions/set.js';
export { INSTRUCTION_RUNS_PER_BLOCK_MAX } from './instructions/run.js';
export { TRIGGER_DEPTH_MAX } from './instructions/triggers.js';
export { nextOccurrence, occurrences, RUN_GAP_MAX_MS, scheduleProblem, upcoming, type Schedule } from './instructions/calendar.js';
