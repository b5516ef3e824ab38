import { Type, type Static } from 'typebox';
import { Id, literals, Reference, TimeMs } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * What a standing instruction does when it runs:
 * * `pay`: a fixed amount from `from` to `to`, on a schedule;
 * * `sweep`: everything of `from` above `keepMinor` to `to`;
 * * `top_up`: when `to` is below `floorMinor`, pull up to the floor from `from`, at most `capMinor` a run;
 * * `split`: when a payment with `reference` lands on `from`, pay `shareBps` of it on to `to`.
 */
export const INSTRUCTION_KINDS = ['pay', 'sweep', 'top_up', 'split'] as const;
export type InstructionKind = (typeof INSTRUCTION_KINDS)[number];

export const INSTRUCTION_STATUSES = ['active', 'suspended', 'cancelled', 'finished'] as const;

export const ScheduleSchema = Type.Object({
  rrule: Type.Optional(Type.String()),
  cron: Type.Optional(Type.String()),
  timeZone: Type.String(),
});

/**
 * A standing instruction of its owner: money it moves from the owner's account `from`
 * on a schedule (`nextRunAtMs`) or when a payment arms it (`armedAtMs`, at the depth of
 * the chain of instructions that armed it). It runs at block time, as its owner, under
 * every rule a payment of the owner meets; failures in a row suspend it.
 */
export const StandingInstructionSchema = Type.Object({
  id: Id,
  owner: Id,
  kind: literals(INSTRUCTION_KINDS),
  from: Id,
  to: Id,
  amountMinor: Type.Optional(Type.BigInt()),
  keepMinor: Type.Optional(Type.BigInt()),
  floorMinor: Type.Optional(Type.BigInt()),
  capMinor: Type.Optional(Type.BigInt()),
  reference: Type.Optional(Reference),
  shareBps: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  schedule: Type.Optional(ScheduleSchema),
  /** A sweep runs whenever `from` ends a payment above what it keeps; a top-up whenever `to` ends one below its floor. */
  onPayment: Type.Boolean(),
  nextRunAtMs: Type.Union([TimeMs, Type.Null()]),
  armedAtMs: Type.Union([TimeMs, Type.Null()]),
  armedDepth: Type.Integer({ minimum: 0 }),
  /** A split's share of the payments that armed it, still to pay on. */
  pendingMinor: Type.BigInt(),
  failures: Type.Integer({ minimum: 0 }),
  maxFailures: Type.Integer({ minimum: 1 }),
  runs: Type.Integer({ minimum: 0 }),
  status: literals(INSTRUCTION_STATUSES),
  createdAtMs: TimeMs,
});
export type StandingInstruction = Readonly<Static<typeof StandingInstructionSchema>>;

/** The account whose payments arm the instruction, if any payment does. */
export function watchedAccount(instruction: StandingInstruction): string | null {
  if (instruction.kind === 'split') return instruction.from;
  if (!instruction.onPayment) return null;
  return instruction.kind === 'top_up' ? instruction.to : instruction.kind === 'sweep' ? instruction.from : null;
}

/** When the scheduler must run it: its next date, or now if a payment armed it. */
function dueAtMs(instruction: StandingInstruction): number | null {
  if (instruction.status !== 'active') return null;
  const { nextRunAtMs: next, armedAtMs: armed } = instruction;
  if (next === null) return armed;
  return armed === null ? next : Math.min(next, armed);
}

export const standingInstructions = defineEntity({
  table: 'standing_instructions',
  description: 'payments, sweeps, top-ups and splits an owner set to run on a schedule or when a payment arms them',
  schema: StandingInstructionSchema,
  key: (instruction) => instruction.id,
  dueAtMs,
  // Found by its owner; in force, also by the owner's accounts it pays from or watches (never a payee's), whose bound it counts against.
  indexBy: (instruction) => [ownerKey(instruction.owner), ...(instruction.status !== 'active' ? [] : boundAccounts(instruction).map(accountKey))],
});

/** The accounts of the owner an instruction counts against: the one it pays from, and the one a top-up keeps funded. */
export function boundAccounts(instruction: { readonly kind: string; readonly from: string; readonly to: string }): string[] {
  return instruction.kind === 'top_up' ? [instruction.from, instruction.to] : [instruction.from];
}

/** The instruction's accounts that belong to its owner: who its events concern (a payee does not learn of a payer's standing order). */
export function instructionAccounts(instruction: Pick<StandingInstruction, 'owner' | 'from' | 'to'>, ownerOf: (account: string) => string | undefined): string[] {
  return [instruction.from, instruction.to].filter((account, i, all) => all.indexOf(account) === i && ownerOf(account) === instruction.owner);
}

/** The index keys of standing instructions (`LedgerState.indexed`): by owner, and in force by account. */
export const ownerKey = (participant: string) => `owner:${participant}`;
export const accountKey = (account: string) => `account:${account}`;
