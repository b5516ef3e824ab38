import { formatAmount } from '../../amount.js';
import { instructionAccounts, type StandingInstruction } from '../../entities/index.js';
import type { AppliedEvent } from '../../events.js';
import type { InstructionRunner } from '../../operation.js';
import { defineScheduled } from '../../scheduled.js';
import { Draft } from '../../state.js';
import { nextOccurrence } from './calendar.js';
import { instructionChainStopped, instructionExecuted, instructionFailed, instructionFinished, instructionSuspended } from './events.js';

/**
 * The most standing instructions one block runs. When more fall due together (every
 * client's month-end sweep at 17:00), the rest run in the next blocks, in (time, id)
 * order, so a block's time stays bounded.
 */
export const INSTRUCTION_RUNS_PER_BLOCK_MAX = 5_000;

/** What the instruction moves if it runs now (zero: nothing to do), from the balances in the draft. */
function amountToMove(draft: Draft, instruction: StandingInstruction): bigint {
  switch (instruction.kind) {
    case 'pay':
      return instruction.amountMinor!;
    case 'sweep': {
      const above = draft.get('accounts', instruction.from)!.availableMinor - instruction.keepMinor!;
      return above > 0n ? above : 0n;
    }
    case 'top_up': {
      const below = instruction.floorMinor! - draft.get('accounts', instruction.to)!.availableMinor;
      if (below <= 0n) return 0n;
      return below < instruction.capMinor! ? below : instruction.capMinor!;
    }
    case 'split':
      return instruction.pendingMinor;
  }
}

/**
 * Runs a standing instruction that fell due (its date came, or a payment armed it): a
 * transfer from its owner's account, run as its owner under every rule a transfer meets.
 * It succeeds (the failure count resets) or is recorded as a failed attempt with why;
 * after `maxFailures` in a row it is suspended. A schedule with no further date finishes it.
 */
export function runInstruction(draft: Draft, instruction: StandingInstruction, atMs: number, run: InstructionRunner): AppliedEvent[] {
  const scheduled = instruction.nextRunAtMs !== null && instruction.nextRunAtMs <= atMs;
  const nextRunAtMs = scheduled ? nextOccurrence(instruction.schedule!, atMs, instruction.nextRunAtMs!) : instruction.nextRunAtMs;
  const depth = scheduled ? 0 : instruction.armedDepth;
  let after: StandingInstruction = { ...instruction, nextRunAtMs, armedAtMs: null, armedDepth: 0, pendingMinor: 0n };
  const concerns = { accounts: instructionAccounts(instruction, (account) => draft.get('accounts', account)?.owner), participants: [instruction.owner] };
  const events: AppliedEvent[] = [];
  const minor = amountToMove(draft, instruction);
  if (minor > 0n) {
    const decimals = draft.get('assets', draft.get('accounts', instruction.from)!.asset)!.decimals;
    const amount = formatAmount(minor, decimals);
    const owner = draft.get('participants', instruction.owner)!;
    const attempt = new Draft(draft);
    const outcome = run(attempt, owner, { type: 'transfer', from: instruction.from, to: instruction.to, amount } as never, atMs, { instruction: instruction.id, depth });
    if ('events' in outcome) {
      attempt.commit();
      after = { ...after, failures: 0, runs: instruction.runs + 1 };
      events.push({ event: instructionExecuted.of({ instruction: instruction.id, trigger: scheduled ? 'schedule' : 'payment', amount, depth, nextRunAtMs }, concerns), balances: [] }, ...outcome.events);
    } else {
      const failures = instruction.failures + 1;
      // A split keeps what it owes, to pay on at its next run.
      after = { ...after, failures, pendingMinor: instruction.pendingMinor, ...(failures >= instruction.maxFailures && { status: 'suspended' as const }) };
      events.push({ event: instructionFailed.of({ instruction: instruction.id, code: outcome.code, reason: outcome.message, failures, nextRunAtMs }, concerns), balances: [] });
      if (after.status === 'suspended') events.push({ event: instructionSuspended.of({ instruction: instruction.id, failures }, concerns), balances: [] });
    }
  }
  if (after.status === 'active' && instruction.schedule !== undefined && nextRunAtMs === null && !instruction.onPayment) {
    after = { ...after, status: 'finished' };
    events.push({ event: instructionFinished.of({ instruction: instruction.id }, concerns), balances: [] });
  }
  draft.put('standing_instructions', instruction.id, after);
  return events;
}

export const instructionRun = defineScheduled({
  table: 'standing_instructions',
  // A chain stops only inside a run: a transaction's payment arms at depth 1, within the bound.
  events: [instructionExecuted, instructionFailed, instructionSuspended, instructionFinished, instructionChainStopped],
  perBlockMax: INSTRUCTION_RUNS_PER_BLOCK_MAX,
  apply: (draft, entity, blockTimeMs, run) => runInstruction(draft, entity as StandingInstruction, blockTimeMs, run),
});
