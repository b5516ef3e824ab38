import { parseAmount, type AmountParse } from '../amount.js';
import type { Account, Asset, Participant } from '../entities/index.js';
import type { Check, OperationContext } from '../operation.js';
import type { Draft } from '../state.js';

/**
 * Checks that many operations share, each built for the field it is about. They keep
 * the global precedence when listed in the order their codes appear in REJECTION_CODES.
 */

/** The value at a field's path (e.g. "participant.id") in an operation, as JSON. */
export function quote(op: unknown, field: string): string {
  let value: unknown = op;
  for (const part of field.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return JSON.stringify(value) ?? 'nothing';
}

/** Fails when `get` finds nothing: the referenced participant, asset, account or hold does not exist. */
export function mustExist<Op, Env>(code: Check<Op, Env>['code'], field: string, what: string, get: (env: Env) => unknown): Check<Op, Env> {
  return { code, field, fails: (env) => get(env) === undefined, explain: (_env, op) => `no ${what} ${quote(op, field)}` };
}

/** Fails when `get` finds something: the id is taken. */
export function mustBeNew<Op, Env>(field: string, what: string, get: (env: Env) => unknown): Check<Op, Env> {
  return { code: 'already_exists', field, fails: (env) => get(env) !== undefined, explain: (_env, op) => `${what} ${quote(op, field)} exists already` };
}

/** The amount in `field`, parsed with the asset's scale; undefined until the asset is known. */
export function amountIn(op: unknown, field: string, asset: Asset | undefined): AmountParse | undefined {
  const text = (op as Record<string, unknown>)[field];
  return asset === undefined || typeof text !== 'string' ? undefined : parseAmount(text, asset.decimals);
}

/**
 * An amount that can never be valid (malformed, beyond the ceiling, or zero where zero
 * means nothing), then one with more decimals than the asset's scale.
 */
export function amountChecks<Op, Env>(field: string, parsed: (env: Env) => AmountParse | undefined, asset: (env: Env) => Asset | undefined, zero: 'refused' | 'allowed'): Check<Op, Env>[] {
  return [
    {
      code: 'invalid_amount', field,
      fails: (env) => {
        const amount = parsed(env);
        if (amount === undefined) return false;
        return amount.ok ? zero === 'refused' && amount.minor === 0n : amount.reason !== 'precision';
      },
      explain: (env, op) => {
        const amount = parsed(env);
        const why = amount?.ok === false && amount.reason === 'overflow' ? "is beyond the ledger's ceiling of 2^127 − 1 minor units" : amount?.ok === true ? 'is zero' : 'is not a decimal such as "1000.00"';
        return `${quote(op, field)} ${why}`;
      },
    },
    {
      code: 'amount_too_precise', field,
      fails: (env) => {
        const amount = parsed(env);
        return amount !== undefined && !amount.ok && amount.reason === 'precision';
      },
      explain: (env, op) => `${quote(op, field)} has more decimals than ${asset(env)?.id ?? 'the asset'} allows (${asset(env)?.decimals ?? '?'})`,
    },
  ];
}

/** Null when the participant may move money now, else the KYC rejection. */
export function kycProblem(participant: Participant | undefined, blockTimeMs: number): 'kyc_not_approved' | 'kyc_expired' | null {
  if (participant === undefined || participant.kycStatus !== 'approved') return 'kyc_not_approved';
  if (participant.kycExpiresAtMs !== null && participant.kycExpiresAtMs <= blockTimeMs) return 'kyc_expired';
  return null;
}

/** Every owner KYC-approved, then none of them lapsed: by precedence, any "not approved" before any "expired". */
export function kycChecks<Op, Env>(owners: (env: Env, ctx: OperationContext) => readonly string[]): Check<Op, Env>[] {
  const first = (code: 'kyc_not_approved' | 'kyc_expired', env: Env, ctx: OperationContext) =>
    owners(env, ctx).find((owner) => kycProblem(ctx.draft.get('participants', owner), ctx.blockTimeMs) === code);
  const check = (code: 'kyc_not_approved' | 'kyc_expired', words: string): Check<Op, Env> => ({
    code,
    fails: (env, _op, ctx) => first(code, env, ctx) !== undefined,
    explain: (env, _op, ctx) => `${first(code, env, ctx) ?? 'a participant'} ${words}`,
  });
  return [check('kyc_not_approved', 'is not KYC-approved'), check('kyc_expired', 'has a lapsed KYC approval')];
}

/** The gate every movement of money passes: KYC of each owner, then freezes, then the pause of the asset (or of any asset, for legs in several). */
export function movementChecks<Op, Env>(accounts: (env: Env) => readonly Account[], asset: (env: Env) => Asset | readonly Asset[]): Check<Op, Env>[] {
  // A single asset (every payment but a settlement) is tested without building a list: this runs for every transfer.
  const paused = (env: Env): Asset | undefined => {
    const named = asset(env);
    return 'paused' in named ? (named.paused ? named : undefined) : named.find((a) => a.paused);
  };
  return [
    ...kycChecks<Op, Env>((env) => accounts(env).map((account) => account.owner)),
    { code: 'account_frozen', fails: (env) => accounts(env).some((account) => account.frozen), explain: (env) => `account ${accounts(env).find((account) => account.frozen)?.id ?? ''} is frozen` },
    { code: 'asset_paused', fails: (env) => paused(env) !== undefined, explain: (env) => `asset ${paused(env)?.id ?? ''} is paused` },
  ];
}

/**
 * The first movement rule (movementChecks) that paying between `accounts` in `asset`
 * breaks at `atMs`, in words, or null: for what moves money outside an operation's
 * checks (an automatic release at block time), which must find out rather than fail.
 */
export function movementProblem(draft: Draft, accounts: readonly Account[], asset: Asset, atMs: number): string | null {
  // The movement rules read the draft and the time only; the sender stands in for a context.
  const ctx: OperationContext = {
    draft, sender: draft.get('participants', accounts[0]!.owner)!, signers: new Set(), blockTimeMs: atMs, approvals: new Set(),
    execute: noProposal,
  };
  const env: Movement = { accounts, asset };
  const broken = MOVEMENT_RULES.find((check) => check.fails(env, null, ctx));
  return broken === undefined ? null : broken.explain(env, null, ctx);
}

interface Movement {
  readonly accounts: readonly Account[];
  readonly asset: Asset;
}

/** The movement rules for movementProblem, made once: it runs for every automatic release of a block. */
const MOVEMENT_RULES = movementChecks<null, Movement>((env) => env.accounts, (env) => env.asset);

function noProposal(): never {
  throw new Error('invariant: movement rules run no proposal');
}

/** Whether the transaction is signed by `owner` or by a delegate `owner` has named. */
export function actsFor(ctx: OperationContext, owner: string): boolean {
  if (ctx.signers.has(owner)) return true;
  const participant = ctx.draft.get('participants', owner);
  return participant !== undefined && participant.delegates.some((delegate) => ctx.signers.has(delegate));
}

export function hasRole(participant: Participant | undefined, role: Participant['roles'][number]): boolean {
  return participant !== undefined && participant.roles.includes(role);
}

/** Checks that apply only when `applies` holds (the movement checks of a decision that may move nothing). */
export function onlyWhen<Op, Env>(applies: (env: Env, op: Op) => boolean, checks: readonly Check<Op, Env>[]): Check<Op, Env>[] {
  return checks.map((check) => ({ ...check, fails: (env, op, ctx) => applies(env, op) && check.fails(env, op, ctx) }));
}
