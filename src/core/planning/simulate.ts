import { runForInstruction } from '../apply.js';
import { entityDefinition, type StandingInstruction } from '../entities/index.js';
import type { AppliedEvent } from '../events.js';
import { runInstruction } from '../operations/instructions/run.js';
import { Draft } from '../state.js';
import { activeInstructionsOf } from './owned.js';

/** The most runs a simulation plays: past it, the answer says it stopped there. */
export const SIMULATED_RUNS_MAX = 1_000;

/** One run of a standing instruction in a simulation: when, which, and what it did. */
export interface SimulatedRun {
  readonly atMs: number;
  readonly instruction: string;
  readonly events: readonly AppliedEvent[];
}

const dueAtMs = entityDefinition('standing_instructions').dueAtMs!;

/** The instruction of `ids` (in id order) due first, by time then id, at or before `untilMs`, or null. */
function firstDue(draft: Draft, ids: readonly string[], untilMs: number): { instruction: StandingInstruction; atMs: number } | null {
  let first: { instruction: StandingInstruction; atMs: number } | null = null;
  for (const id of ids) {
    const instruction = draft.get('standing_instructions', id)!;
    const atMs = dueAtMs(instruction);
    if (atMs !== null && atMs <= untilMs && (first === null || atMs < first.atMs)) first = { instruction, atMs };
  }
  return first;
}

/**
 * Plays the owner's standing instructions forward on `draft` (which it changes: give it a
 * draft that is never kept) from `fromMs` to `untilMs`: each run at its time, in the order
 * the scheduler would take them, including what their payments arm. Nothing else happens
 * in between (no other payment, no hold expiring): it shows what the instructions do alone.
 */
export function simulateInstructions(draft: Draft, owner: string, fromMs: number, untilMs: number): { runs: SimulatedRun[]; complete: boolean } {
  const runs: SimulatedRun[] = [];
  // The same instructions throughout: runs change them, never add one.
  const ids = activeInstructionsOf(draft, owner).map((instruction) => instruction.id);
  for (let due = firstDue(draft, ids, untilMs); due !== null; due = firstDue(draft, ids, untilMs)) {
    if (runs.length === SIMULATED_RUNS_MAX) return { runs, complete: false };
    const atMs = Math.max(due.atMs, fromMs);
    runs.push({ atMs, instruction: due.instruction.id, events: runInstruction(draft, due.instruction, atMs, runForInstruction) });
  }
  return { runs, complete: true };
}

