import { Type } from 'typebox';
import { formatAmount, parseAmount } from '../../amount.js';
import { allowanceKey, CONTROL_ACTS, type ControlPolicy } from '../../entities/index.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Id, literals } from '../../schema.js';
import { controlPolicySet } from './events.js';
import { approversExist, workablePolicy } from './policy-checks.js';
import { APPROVAL_WINDOW_DEFAULT_MS } from './proposing.js';
import { controlRequirement } from './rules.js';

const Threshold = Type.Object({ asset: Id, above: Amount }, { additionalProperties: false });

interface Spec { approvers: string[]; issueThresholds?: { asset: string; above: string }[] }

function resolve(ctx: OperationContext, op: Spec) {
  const thresholds = (op.issueThresholds ?? []).map((threshold) => {
    const asset = ctx.draft.get('assets', threshold.asset);
    return { threshold, asset, parsed: asset === undefined ? undefined : parseAmount(threshold.above, asset.decimals) };
  });
  return { existing: ctx.draft.get('control_policies', ctx.sender.id), thresholds };
}

type Env = ReturnType<typeof resolve>;
const missingAsset = (env: Env) => env.thresholds.find((t) => t.asset === undefined);
const badAmount = (env: Env) => env.thresholds.find((t) => t.parsed?.ok === false);
/** A threshold on an asset the sender neither issues nor mints (a minter named by the issuer, such as its core-banking link, holds an allowance). */
const foreignAsset = (env: Env, ctx: OperationContext) => env.thresholds.find((t) => t.asset!.issuer !== ctx.sender.id && ctx.draft.get('allowances', allowanceKey(t.asset!.id, ctx.sender.id)) === undefined);

/**
 * A participant puts its own administrative acts under dual control: each act listed
 * then needs the approvals of its other officers. An empty list lifts it; any change to
 * a dual control in force needs that control's approvals.
 */
export const setControlPolicy = operation({
  family: 'policies',
  summary: 'put the sender\'s administrative acts (issue, force_transfer, unfreeze_account, change_roles) under dual control',
  schema: Type.Object({
    type: Type.Literal('set_control_policy'),
    approvers: Type.Array(Id, { minItems: 1, maxItems: 16, uniqueItems: true, description: 'the other officers whose approvals count (k of n)' }),
    approvalsRequired: Type.Integer({ minimum: 1, maximum: 16 }),
    acts: Type.Array(literals(CONTROL_ACTS), { uniqueItems: true, description: 'the acts that need approval; empty: none' }),
    issueThresholds: Type.Optional(Type.Array(Threshold, { maxItems: 64, description: 'an issue of this asset (one the sender issues or mints) needs approval only above this amount' })),
    approvalWindowMs: Type.Optional(Type.Integer({ minimum: 60_000, description: 'how long a held-back act waits for approvals (default 24 hours, at most 30 days)' })),
  }, { additionalProperties: false }),
  initiators: ['operator', 'compliance', 'issuer'],
  consent: 'the sender, for its own acts; a change to a dual control in force also needs its approvals',
  events: [controlPolicySet],
  describe: (op) => `put ${op.acts.join(', ') || 'nothing'} under dual control: ${op.approvalsRequired} of ${op.approvers.join(', ')}`,
}).resolve(resolve).define({
  checks: [
    approversExist(),
    { code: 'asset_not_found', field: 'issueThresholds', fails: (env) => missingAsset(env) !== undefined, explain: (env) => `no asset ${JSON.stringify(missingAsset(env)!.threshold.asset)}` },
    { code: 'invalid_amount', field: 'issueThresholds', fails: (env) => badAmount(env) !== undefined, explain: (env) => `threshold ${JSON.stringify(badAmount(env)!.threshold.above)} is not an amount of ${badAmount(env)!.asset!.id} (${badAmount(env)!.asset!.decimals} decimals)` },
    workablePolicy(),
    {
      code: 'invalid_policy', field: 'approvers',
      fails: (_env, op, ctx) => op.approvers.includes(ctx.sender.id),
      explain: (_env, _op, ctx) => `${ctx.sender.id} cannot be its own second officer: name other participants as approvers`,
    },
    { code: 'invalid_policy', field: 'issueThresholds', fails: (env, _op, ctx) => foreignAsset(env, ctx) !== undefined, explain: (env, _op, ctx) => `${ctx.sender.id} neither issues nor mints ${foreignAsset(env, ctx)!.asset!.id}` },
  ],
  apply: (ctx, op, env) => {
    const policy: ControlPolicy = {
      participant: ctx.sender.id, approvers: [...op.approvers], approvalsRequired: op.approvalsRequired, acts: [...op.acts],
      issueThresholds: env.thresholds.map((t) => ({ asset: t.asset!.id, aboveMinor: t.parsed?.ok === true ? t.parsed.minor : 0n })),
      approvalWindowMs: op.approvalWindowMs ?? APPROVAL_WINDOW_DEFAULT_MS,
    };
    ctx.draft.put('control_policies', policy.participant, policy);
    const event = controlPolicySet.of({
      participant: policy.participant, approvers: policy.approvers, approvalsRequired: policy.approvalsRequired, acts: policy.acts,
      issueThresholds: env.thresholds.map((t) => ({ asset: t.asset!.id, above: formatAmount(t.parsed?.ok === true ? t.parsed.minor : 0n, t.asset!.decimals) })),
      approvalWindowMs: policy.approvalWindowMs,
    }, { participants: [policy.participant, ...policy.approvers] });
    return [{ event, balances: [] }];
  },
  parties: (op) => op.approvers,
  accounts: () => [],
  requirements: (_op, env) => (env.existing !== undefined && env.existing.acts.length > 0 ? [controlRequirement(env.existing)] : []),
});
