import { Type } from 'typebox';
import { formatAmount, type AmountParse } from '../../amount.js';
import type { Account, AccountPolicy, Asset } from '../../entities/index.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { actsFor, amountChecks, amountIn, mustExist } from '../checks.js';
import { accountPolicySet } from './events.js';
import { approversExist, workablePolicy } from './policy-checks.js';
import { APPROVAL_WINDOW_DEFAULT_MS } from './proposing.js';
import { accountRequirement, dayOf } from './rules.js';

/** The most counterparties a policy allows by name. */
export const COUNTERPARTIES_MAX = 64;

const Approvers = Type.Array(Id, { minItems: 1, maxItems: 16, uniqueItems: true, description: 'participants whose approvals count (k of n)' });

function resolve(ctx: OperationContext, op: { account: string; approvalAbove: string; perPaymentLimit?: string; dailyLimit?: string; counterparties?: string[] }) {
  const account: Account | undefined = ctx.draft.get('accounts', op.account);
  const asset: Asset | undefined = account === undefined ? undefined : ctx.draft.get('assets', account.asset);
  return {
    account, asset, existing: ctx.draft.get('account_policies', op.account),
    above: amountIn(op, 'approvalAbove', asset), perPayment: amountIn(op, 'perPaymentLimit', asset), daily: amountIn(op, 'dailyLimit', asset),
    missingCounterparty: (op.counterparties ?? []).find((participant) => ctx.draft.get('participants', participant) === undefined),
  };
}

type Env = ReturnType<typeof resolve>;
type SetOp = Parameters<typeof resolve>[1];
const AMOUNTS: [string, (env: Env) => AmountParse | undefined][] = [['approvalAbove', (env) => env.above], ['perPaymentLimit', (env) => env.perPayment], ['dailyLimit', (env) => env.daily]];

const minorOf = (parsed: ReturnType<typeof amountIn>) => (parsed?.ok === true ? parsed.minor : undefined);

/**
 * The owner of an account sets its maker-checker policy. A first policy only tightens, so
 * the owner alone sets it; changing one in force needs its approvers, like a payment.
 */
export const setAccountPolicy = operation({
  family: 'policies',
  summary: "set an account's policy: approvals above an amount (k of n), per-payment and daily limits, allowed counterparties",
  schema: Type.Object({
    type: Type.Literal('set_account_policy'), account: Id, approvers: Approvers, approvalsRequired: Type.Integer({ minimum: 1, maximum: 16 }),
    approvalAbove: Amount, perPaymentLimit: Type.Optional(Amount), dailyLimit: Type.Optional(Amount),
    counterparties: Type.Optional(Type.Array(Id, { maxItems: COUNTERPARTIES_MAX, uniqueItems: true, description: 'participants this account may pay; absent: any' })),
    approvalWindowMs: Type.Optional(Type.Integer({ minimum: 60_000, description: 'how long a held-back payment waits for approvals (default 24 hours, at most 30 days)' })),
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the account's owner (or a delegate); a change to a policy in force also needs that policy's approvals",
  events: [accountPolicySet],
  describe: (op) => `set the policy of ${op.account}: ${op.approvalsRequired} of ${op.approvers.join(', ')} approve payments above ${op.approvalAbove}`,
}).resolve(resolve).define({
  checks: [
    approversExist(),
    { code: 'participant_not_found', field: 'counterparties', fails: (env) => env.missingCounterparty !== undefined, explain: (env) => `no participant ${JSON.stringify(env.missingCounterparty)} to allow as a counterparty` },
    mustExist('account_not_found', 'account', 'account', (env) => env.account),
    // Every malformed amount before any too precise one, by precedence.
    ...AMOUNTS.map(([field, parsed]) => amountChecks<SetOp, Env>(field, parsed, (env) => env.asset, 'allowed')[0]!),
    ...AMOUNTS.map(([field, parsed]) => amountChecks<SetOp, Env>(field, parsed, (env) => env.asset, 'allowed')[1]!),
    workablePolicy(),
    { code: 'not_authorized', field: 'account', fails: (env, _op, ctx) => !actsFor(ctx, env.account!.owner), explain: (env) => `only ${env.account!.owner} (or its delegate) may set the policy of ${env.account!.id}` },
  ],
  apply: (ctx, op, env) => {
    const perPaymentLimitMinor = minorOf(env.perPayment);
    const dailyLimitMinor = minorOf(env.daily);
    const policy: AccountPolicy = {
      account: op.account, approvers: [...op.approvers], approvalsRequired: op.approvalsRequired, approvalAboveMinor: minorOf(env.above)!,
      ...(perPaymentLimitMinor !== undefined && { perPaymentLimitMinor }), ...(dailyLimitMinor !== undefined && { dailyLimitMinor }),
      ...(op.counterparties !== undefined && { counterparties: [...op.counterparties] }),
      approvalWindowMs: op.approvalWindowMs ?? APPROVAL_WINDOW_DEFAULT_MS,
      // What the day spent so far still counts against the new limit.
      spentDayMs: env.existing?.spentDayMs ?? dayOf(ctx.blockTimeMs), spentMinor: env.existing?.spentMinor ?? 0n, enabled: true,
    };
    ctx.draft.put('account_policies', policy.account, policy);
    const amount = (minor: bigint) => formatAmount(minor, env.asset!.decimals);
    const event = accountPolicySet.of({
      account: policy.account, approvers: policy.approvers, approvalsRequired: policy.approvalsRequired, approvalAbove: amount(policy.approvalAboveMinor),
      ...(perPaymentLimitMinor !== undefined && { perPaymentLimit: amount(perPaymentLimitMinor) }), ...(dailyLimitMinor !== undefined && { dailyLimit: amount(dailyLimitMinor) }),
      ...(policy.counterparties !== undefined && { counterparties: policy.counterparties }), approvalWindowMs: policy.approvalWindowMs,
    }, { accounts: [policy.account], participants: policy.approvers });
    return [{ event, balances: [] }];
  },
  parties: (op, lookup) => [lookup.ownerOf(op.account), ...op.approvers],
  accounts: (op) => [op.account],
  requirements: (_op, env) => (env.existing?.enabled === true ? [accountRequirement(env.existing)] : []),
});
