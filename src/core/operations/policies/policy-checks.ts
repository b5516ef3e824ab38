import type { Check, OperationContext } from '../../operation.js';
import { POLICY_APPROVERS_MAX } from '../../entities/index.js';
import { APPROVAL_WINDOW_MAX_MS } from './proposing.js';

/** What setting any policy checks first: its approvers exist, the count they must reach is possible, the window is bounded. */
export interface PolicySpec {
  approvers: readonly string[];
  approvalsRequired: number;
  approvalWindowMs?: number;
}

export function approversExist<Op extends PolicySpec, Env>(): Check<Op, Env> {
  const missing = (op: Op, ctx: OperationContext) => op.approvers.find((approver) => ctx.draft.get('participants', approver) === undefined);
  return { code: 'participant_not_found', field: 'approvers', fails: (_env, op, ctx) => missing(op, ctx) !== undefined, explain: (_env, op, ctx) => `no participant ${JSON.stringify(missing(op, ctx))} to name as an approver` };
}

export function workablePolicy<Op extends PolicySpec, Env>(): Check<Op, Env> {
  const problem = (op: Op) => {
    if (op.approvalsRequired > op.approvers.length) return `it requires ${op.approvalsRequired} approvals of ${op.approvers.length} approver(s)`;
    if (op.approvers.length > POLICY_APPROVERS_MAX) return `it names more than ${POLICY_APPROVERS_MAX} approvers`;
    if (op.approvalWindowMs !== undefined && op.approvalWindowMs > APPROVAL_WINDOW_MAX_MS) return 'its approval window is over 30 days';
    return null;
  };
  return { code: 'invalid_policy', fails: (_env, op) => problem(op) !== null, explain: (_env, op) => `the policy cannot work: ${problem(op) ?? ''}` };
}

