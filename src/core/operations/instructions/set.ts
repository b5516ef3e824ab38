import { Type } from 'typebox';
import { type AmountParse } from '../../amount.js';
import { accountKey, boundAccounts, instructionAccounts, INSTRUCTION_KINDS, type Account, type Asset, type StandingInstruction } from '../../entities/index.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Id, literals, Reference } from '../../schema.js';
import { actsFor, amountChecks, amountIn, mustBeNew, mustExist } from '../checks.js';
import { accountRequirement } from '../policies/rules.js';
import { nextOccurrence, scheduleProblem, type Schedule } from './calendar.js';
import { instructionSet } from './events.js';

const WHAT: Record<SetOp['kind'], (op: SetOp) => string> = {
  pay: (op) => `pay ${op.amount ?? '?'} from ${op.from} to ${op.to}`,
  sweep: (op) => `sweep what ${op.from} holds above ${op.keep ?? '?'} to ${op.to}`,
  top_up: (op) => `top ${op.to} up to ${op.floor ?? '?'} from ${op.from}, at most ${op.cap ?? '?'} a time`,
  split: (op) => `pay ${(op.share ?? 0) / 100}% of each payment to ${op.from} with reference ${op.reference ?? '?'} on to ${op.to}`,
};

function when(op: SetOp): string {
  const schedule = op.schedule === undefined ? [] : [`on ${op.schedule.rrule ?? op.schedule.cron ?? '?'}${op.schedule.timeZone === undefined ? '' : ` (${op.schedule.timeZone})`}`];
  return [...schedule, ...(op.onPayment === true ? ['whenever a payment arms it'] : [])].map((part) => `, ${part}`).join('');
}

/** The most standing instructions in force that may name one account. */
export const INSTRUCTIONS_PER_ACCOUNT_MAX = 16;

/** Failures in a row after which an instruction is suspended, unless it says otherwise. */
export const MAX_FAILURES_DEFAULT = 3;

const ScheduleInput = Type.Object({
  rrule: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'an RFC 5545 RRULE without DTSTART or COUNT, e.g. "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0" (the last business day of each month at 17:00)' })),
  cron: Type.Optional(Type.String({ minLength: 1, maxLength: 120, description: 'a five-field cron pattern, e.g. "0 17 * * 1-5"' })),
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'an IANA time zone such as "Europe/London"; UTC if absent' })),
}, { additionalProperties: false });

/** What each kind needs, and may carry, besides from, to, schedule and onPayment. */
const FIELDS = { pay: ['amount'], sweep: ['keep'], top_up: ['floor', 'cap'], split: ['reference', 'share'] } as const;
const KIND_FIELDS = ['amount', 'keep', 'floor', 'cap', 'reference', 'share'] as const;

type SetOp = {
  instruction: string; kind: (typeof INSTRUCTION_KINDS)[number]; from: string; to: string;
  amount?: string; keep?: string; floor?: string; cap?: string; reference?: string; share?: number;
  schedule?: { rrule?: string; cron?: string; timeZone?: string }; onPayment?: boolean; maxFailures?: number;
};

function resolve(ctx: OperationContext, op: SetOp) {
  const from: Account | undefined = ctx.draft.get('accounts', op.from);
  const to: Account | undefined = ctx.draft.get('accounts', op.to);
  const asset: Asset | undefined = from === undefined ? undefined : ctx.draft.get('assets', from.asset);
  const schedule: Schedule | undefined = op.schedule === undefined ? undefined : { ...op.schedule, timeZone: op.schedule.timeZone ?? 'UTC' };
  return {
    from, to, asset, schedule, existing: ctx.draft.get('standing_instructions', op.instruction),
    amounts: Object.fromEntries(['amount', 'keep', 'floor', 'cap'].map((field) => [field, amountIn(op, field, asset)])) as Record<'amount' | 'keep' | 'floor' | 'cap', AmountParse | undefined>,
  };
}
type Env = ReturnType<typeof resolve>;

const minor = (parsed: AmountParse | undefined) => (parsed?.ok === true ? parsed.minor : undefined);

/** What is wrong with the kind's fields, in words, or null. */
function shapeProblem(op: SetOp): string | null {
  const needed: readonly string[] = FIELDS[op.kind];
  const missing = needed.find((field) => op[field as keyof SetOp] === undefined);
  if (missing !== undefined) return `a ${op.kind} instruction needs ${missing}`;
  const foreign = KIND_FIELDS.find((field) => !needed.includes(field) && op[field] !== undefined);
  if (foreign !== undefined) return `a ${op.kind} instruction does not use ${foreign}`;
  if (op.from === op.to) return `${op.from} cannot pay itself`;
  if (op.kind === 'pay' && op.onPayment === true) return 'a pay instruction runs on its schedule only (onPayment is for sweeps and top-ups)';
  if (op.kind === 'split' && (op.schedule !== undefined || op.onPayment !== undefined)) return 'a split runs when its payment lands: it takes no schedule or onPayment';
  if (op.kind !== 'split' && op.schedule === undefined && op.onPayment !== true) return `a ${op.kind} instruction needs a schedule or onPayment: true`;
  return null;
}

/** Instructions in force on `account`, committed or written by this transaction. */
function inForce(ctx: OperationContext, account: string): number {
  const ids = new Set(ctx.draft.state.indexed('standing_instructions', accountKey(account)));
  for (const id of ctx.draft.writtenIds('standing_instructions')) ids.add(id);
  let count = 0;
  for (const id of ids) {
    const instruction = ctx.draft.get('standing_instructions', id);
    if (instruction?.status === 'active' && boundAccounts(instruction).includes(account)) count += 1;
  }
  return count;
}

/** Whether what one run may move is bounded at or under the policy's approval threshold. */
function boundedUnder(op: SetOp, env: Env, aboveMinor: bigint): boolean {
  if (op.kind === 'pay') return minor(env.amounts.amount)! <= aboveMinor;
  if (op.kind === 'top_up') return minor(env.amounts.cap)! <= aboveMinor;
  return false;
}

/**
 * The owner of an account sets up a standing instruction on it: a scheduled payment, a
 * sweep, a top-up or a split. Under an account policy that asks approvals for payments,
 * the instruction itself needs them (unless no run can pass the threshold); once set,
 * its runs are approved, and the policy's limits still hold at every run.
 */
export const setStandingInstruction = operation({
  family: 'instructions',
  summary: 'set up a standing instruction: a scheduled payment, a sweep above a balance, a top-up below a floor, or a split of incoming payments',
  schema: Type.Object({
    type: Type.Literal('set_standing_instruction'), instruction: Id, kind: literals(INSTRUCTION_KINDS),
    from: Id, to: Id,
    amount: Type.Optional(Amount), keep: Type.Optional(Amount), floor: Type.Optional(Amount), cap: Type.Optional(Amount),
    reference: Type.Optional(Reference), share: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'basis points of each payment to pay on (10000 = all)' })),
    schedule: Type.Optional(ScheduleInput),
    onPayment: Type.Optional(Type.Boolean({ description: 'a sweep runs whenever from ends a payment above keep; a top-up whenever to ends one below floor' })),
    maxFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'failed runs in a row before it is suspended (default 3)' })),
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of the paying account (of both accounts, for a top-up), or a delegate it named; under an account policy, its approvers',
  events: [instructionSet],
  describe: (op) => `standing instruction ${op.instruction}: ${WHAT[op.kind](op)}${when(op)}`,
}).resolve(resolve).define({
  checks: [
    mustExist('account_not_found', 'from', 'account', (env) => env.from),
    mustExist('account_not_found', 'to', 'account', (env) => env.to),
    mustBeNew('instruction', 'standing instruction', (env) => env.existing),
    ...(['amount', 'keep', 'floor', 'cap'] as const).map((field) => amountChecks<SetOp, Env>(field, (env) => env.amounts[field], (env) => env.asset, field === 'amount' || field === 'cap' ? 'refused' : 'allowed')[0]!),
    ...(['amount', 'keep', 'floor', 'cap'] as const).map((field) => amountChecks<SetOp, Env>(field, (env) => env.amounts[field], (env) => env.asset, 'allowed')[1]!),
    { code: 'invalid_instruction', fails: (_env, op) => shapeProblem(op) !== null, explain: (_env, op) => shapeProblem(op)! },
    {
      code: 'invalid_schedule', field: 'schedule',
      fails: (env, _op, ctx) => env.schedule !== undefined && scheduleProblem(env.schedule, ctx.blockTimeMs) !== null,
      explain: (env, _op, ctx) => scheduleProblem(env.schedule!, ctx.blockTimeMs)!,
    },
    { code: 'asset_mismatch', field: 'to', fails: (env) => env.to!.asset !== env.from!.asset, explain: (env) => `${env.from!.id} holds ${env.from!.asset}, ${env.to!.id} holds ${env.to!.asset}` },
    { code: 'not_authorized', field: 'from', fails: (env, _op, ctx) => !actsFor(ctx, env.from!.owner), explain: (env) => `only ${env.from!.owner} (or its delegate) may instruct payments from ${env.from!.id}` },
    {
      code: 'not_authorized', field: 'to',
      fails: (env, op) => op.kind === 'top_up' && env.to!.owner !== env.from!.owner,
      explain: (env) => `a top-up keeps one of its owner's own accounts funded: ${env.to!.id} belongs to ${env.to!.owner}, not ${env.from!.owner}`,
    },
    {
      code: 'instruction_limit_reached',
      fails: (_env, op, ctx) => boundAccounts(op).some((account) => inForce(ctx, account) >= INSTRUCTIONS_PER_ACCOUNT_MAX),
      explain: (_env, op, ctx) => `${boundAccounts(op).find((account) => inForce(ctx, account) >= INSTRUCTIONS_PER_ACCOUNT_MAX)!} already has ${INSTRUCTIONS_PER_ACCOUNT_MAX} standing instructions in force`,
    },
  ],
  apply: (ctx, op, env) => {
    const instruction: StandingInstruction = {
      id: op.instruction, owner: env.from!.owner, kind: op.kind, from: op.from, to: op.to,
      ...(minor(env.amounts.amount) !== undefined && { amountMinor: minor(env.amounts.amount)! }),
      ...(minor(env.amounts.keep) !== undefined && { keepMinor: minor(env.amounts.keep)! }),
      ...(minor(env.amounts.floor) !== undefined && { floorMinor: minor(env.amounts.floor)! }),
      ...(minor(env.amounts.cap) !== undefined && { capMinor: minor(env.amounts.cap)! }),
      ...(op.reference !== undefined && { reference: op.reference }), ...(op.share !== undefined && { shareBps: op.share }),
      ...(env.schedule !== undefined && { schedule: env.schedule }),
      onPayment: op.kind === 'split' || op.onPayment === true,
      nextRunAtMs: env.schedule === undefined ? null : nextOccurrence(env.schedule, ctx.blockTimeMs, ctx.blockTimeMs),
      armedAtMs: null, armedDepth: 0, pendingMinor: 0n, failures: 0, maxFailures: op.maxFailures ?? MAX_FAILURES_DEFAULT, runs: 0, status: 'active', createdAtMs: ctx.blockTimeMs,
    };
    ctx.draft.put('standing_instructions', instruction.id, instruction);
    const event = instructionSet.of(
      { instruction: instruction.id, kind: instruction.kind, from: instruction.from, to: instruction.to, onPayment: instruction.onPayment, nextRunAtMs: instruction.nextRunAtMs },
      { accounts: instructionAccounts(instruction, (account) => ctx.draft.get('accounts', account)?.owner), participants: [instruction.owner] },
    );
    return [{ event, balances: [] }];
  },
  parties: (op, lookup) => [lookup.ownerOf(op.from)],
  accounts: (op) => [op.from, op.to],
  requirements: (op, env, ctx) => {
    const policy = ctx.draft.get('account_policies', op.from);
    return policy?.enabled === true && !boundedUnder(op, env, policy.approvalAboveMinor) ? [accountRequirement(policy)] : [];
  },
});

