import { formatAmount } from '../../amount.js';
import { requirementsMet, type AccountPolicy, type ControlPolicy, type Requirement } from '../../entities/index.js';
import type { AdministrativeAct, Check, Debit, OperationContext, OperationDefinition } from '../../operation.js';
import type { Draft } from '../../state.js';

/**
 * How policies bear on any operation, from what it declares: the money it takes out of
 * accounts (`debits`), the administrative act it is (`act`), and approvals it needs for
 * its own reasons (`requirements`). Limits and counterparties refuse; approvals hold
 * the operation back as a proposal until given.
 */

const DAY_MS = 86_400_000;

/** 00:00 UTC of the block's day: the daily limit counts block time, never a clock. */
export function dayOf(blockTimeMs: number): number {
  return blockTimeMs - (blockTimeMs % DAY_MS);
}

/** What the account spent today before this operation. */
function spentToday(policy: AccountPolicy, blockTimeMs: number): bigint {
  return policy.spentDayMs === dayOf(blockTimeMs) ? policy.spentMinor : 0n;
}

interface Governed { debit: Debit; policy: AccountPolicy }

/** Whether any account has a policy, in the state or the draft: most ledgers have few, and then nothing more is looked up. */
function anyPolicy(draft: Draft): boolean {
  return draft.state.account_policies.size > 0 || draft.added('account_policies') > 0;
}

function governed(debits: readonly Debit[], draft: Draft): Governed[] {
  const found: Governed[] = [];
  if (debits.length === 0 || !anyPolicy(draft)) return found;
  for (const debit of debits) {
    const policy = draft.get('account_policies', debit.account.id);
    if (policy?.enabled === true) found.push({ debit, policy });
  }
  return found;
}

function firstGoverned(definition: OperationDefinition, op: unknown, env: unknown, ctx: OperationContext, breaks: (g: Governed, all: readonly Governed[]) => boolean): Governed | undefined {
  if (definition.debits === undefined || !anyPolicy(ctx.draft)) return undefined;
  const all = governed(definition.debits(op as never, env), ctx.draft);
  return all.find((g) => breaks(g, all));
}

const money = (minor: bigint, g: Governed, ctx: OperationContext) => formatAmount(minor, ctx.draft.get('assets', g.debit.account.asset)?.decimals ?? 0);

/** The account policies' hard rules, as checks any operation that declares debits gets (in their place by precedence). */
export function policyChecks(definition: OperationDefinition): Check<unknown, unknown>[] {
  if (definition.debits === undefined) return [];
  const counterpartyRefused = (g: Governed) => g.policy.counterparties !== undefined && g.debit.to !== undefined && g.debit.to.owner !== g.debit.account.owner && !g.policy.counterparties.includes(g.debit.to.owner);
  const overPayment = (g: Governed) => g.policy.perPaymentLimitMinor !== undefined && g.debit.minor > g.policy.perPaymentLimitMinor;
  const overDay = (g: Governed, all: readonly Governed[], ctx: OperationContext) => {
    if (g.policy.dailyLimitMinor === undefined) return false;
    const now = all.filter((other) => other.debit.account.id === g.debit.account.id).reduce((sum, other) => sum + other.debit.minor, 0n);
    return spentToday(g.policy, ctx.blockTimeMs) + now > g.policy.dailyLimitMinor;
  };
  return [
    {
      code: 'counterparty_not_allowed',
      fails: (env, op, ctx) => firstGoverned(definition, op, env, ctx, counterpartyRefused) !== undefined,
      explain: (env, op, ctx) => {
        const g = firstGoverned(definition, op, env, ctx, counterpartyRefused)!;
        return `${g.debit.account.id} may pay only ${g.policy.counterparties!.join(', ')} (its policy); ${g.debit.to!.id} belongs to ${g.debit.to!.owner}`;
      },
    },
    {
      code: 'payment_limit_exceeded',
      fails: (env, op, ctx) => firstGoverned(definition, op, env, ctx, overPayment) !== undefined,
      explain: (env, op, ctx) => {
        const g = firstGoverned(definition, op, env, ctx, overPayment)!;
        return `${g.debit.account.id} pays at most ${money(g.policy.perPaymentLimitMinor!, g, ctx)} at a time (its policy)`;
      },
    },
    {
      code: 'daily_limit_exceeded',
      fails: (env, op, ctx) => firstGoverned(definition, op, env, ctx, (g, all) => overDay(g, all, ctx)) !== undefined,
      explain: (env, op, ctx) => {
        const g = firstGoverned(definition, op, env, ctx, (one, all) => overDay(one, all, ctx))!;
        return `${g.debit.account.id} may pay ${money(g.policy.dailyLimitMinor!, g, ctx)} a day (its policy) and paid ${money(spentToday(g.policy, ctx.blockTimeMs), g, ctx)} today`;
      },
    },
  ];
}

export function accountRequirement(policy: AccountPolicy): Requirement {
  return { rule: `account ${policy.account}`, approvers: policy.approvers, required: policy.approvalsRequired, windowMs: policy.approvalWindowMs };
}

export function controlRequirement(policy: ControlPolicy): Requirement {
  return { rule: `dual control of ${policy.participant}`, approvers: policy.approvers, required: policy.approvalsRequired, windowMs: policy.approvalWindowMs };
}

function controls(policy: ControlPolicy, act: AdministrativeAct): boolean {
  if (!policy.acts.includes(act.act)) return false;
  if (act.act !== 'issue') return true;
  const threshold = policy.issueThresholds.find((t) => t.asset === act.asset);
  return threshold === undefined || (act.minor ?? 0n) > threshold.aboveMinor;
}

/** Every approval the operation needs, from the policies that bear on it, one per policy. */
export function requirementsOf(definition: OperationDefinition, op: unknown, env: unknown, ctx: OperationContext): Requirement[] {
  const found: Requirement[] = [];
  if (definition.debits !== undefined && anyPolicy(ctx.draft)) {
    for (const { debit, policy } of governed(definition.debits(op as never, env), ctx.draft)) {
      if (debit.minor > policy.approvalAboveMinor) found.push(accountRequirement(policy));
    }
  }
  const act = definition.act?.(op as never, env) ?? null;
  const control = act === null ? undefined : ctx.draft.get('control_policies', ctx.sender.id);
  if (act !== null && control !== undefined && controls(control, act)) found.push(controlRequirement(control));
  found.push(...(definition.requirements?.(op as never, env, ctx) ?? []));
  return found.filter((requirement, i) => found.findIndex((other) => other.rule === requirement.rule) === i);
}

/** The requirements the operation's approvals do not meet. */
export function unmetRequirements(definition: OperationDefinition, op: unknown, env: unknown, ctx: OperationContext): Requirement[] {
  return requirementsOf(definition, op, env, ctx).filter((requirement) => !requirementsMet([requirement], ctx.approvals));
}

/** Counts the operation's debits against each governed account's day. */
export function recordSpending(definition: OperationDefinition, op: unknown, env: unknown, ctx: OperationContext): void {
  if (definition.debits === undefined || !anyPolicy(ctx.draft)) return;
  for (const { debit } of governed(definition.debits(op as never, env), ctx.draft)) {
    const policy = ctx.draft.get('account_policies', debit.account.id)!;
    const day = dayOf(ctx.blockTimeMs);
    ctx.draft.put('account_policies', policy.account, { ...policy, spentDayMs: day, spentMinor: spentToday(policy, ctx.blockTimeMs) + debit.minor });
  }
}
