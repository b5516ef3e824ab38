import { formatAmount } from '../amount.js';
import { runForInstruction } from '../apply.js';
import type { RejectionCode } from '../codes.js';
import type { StandingInstruction } from '../entities/index.js';
import { isoTime, occurrences } from '../operations/instructions/calendar.js';
import { Draft } from '../state.js';
import { activeInstructionsOf } from './owned.js';

/**
 * What can go wrong between standing instructions, found before they fire:
 * * `cycle`: sweeps, top-ups and splits that move money around a loop of accounts;
 * * `cannot_run`: an instruction whose payment the ledger would refuse now for a reason
 *   waiting does not cure (a frozen account, a paused asset, the policy's counterparties
 *   or per-payment limit), not merely for want of funds;
 * * `competing`: two instructions taking from one account at the same moment, where
 *   the second gets what the first left.
 */
export interface Conflict {
  readonly kind: 'cycle' | 'cannot_run' | 'competing';
  readonly instructions: readonly string[];
  readonly message: string;
  readonly code?: RejectionCode;
  readonly atMs?: number;
}

/** How many dates of each schedule the competition check compares. */
const DATES_COMPARED_MAX = 400;

const AUTOMATIC = new Set(['sweep', 'top_up', 'split']);

/** Codes a payment may get now that time or incoming money cure: not a conflict. */
const PASSING = new Set<RejectionCode>(['insufficient_funds', 'daily_limit_exceeded']);

/** The conflicts among the owner's instructions in force, as the draft has them, over (fromMs, untilMs]. */
export function instructionConflicts(draft: Draft, owner: string, fromMs: number, untilMs: number): Conflict[] {
  const instructions = activeInstructionsOf(draft, owner);
  return [...cycles(instructions), ...instructions.flatMap((instruction) => cannotRun(draft, instruction, fromMs)), ...competing(draft, instructions, fromMs, untilMs)];
}

/** Strongly connected groups of accounts joined by automatic instructions (Tarjan's algorithm, in id order so the answer is stable). */
function cycles(instructions: readonly StandingInstruction[]): Conflict[] {
  const edges = instructions.filter((instruction) => AUTOMATIC.has(instruction.kind));
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const groups: string[][] = [];
  const visit = (account: string): void => {
    index.set(account, index.size);
    low.set(account, index.get(account)!);
    stack.push(account);
    for (const to of next.get(account) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(account, Math.min(low.get(account)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(account, Math.min(low.get(account)!, index.get(to)!));
    }
    if (low.get(account) !== index.get(account)) return;
    const group: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = top === account ? undefined : stack.pop()) group.push(top);
    if (group.length > 1) groups.push(group.sort());
  };
  for (const account of [...next.keys()].sort()) if (!index.has(account)) visit(account);
  return groups.map((group) => {
    const involved = edges.filter((edge) => group.includes(edge.from) && group.includes(edge.to)).map((edge) => edge.id);
    return { kind: 'cycle', instructions: involved, message: `${involved.join(', ')} move money around ${group.join(' → ')} and back: each run can set off the next, until the chain's depth bound stops it` };
  });
}

/** The instruction's payment tried now, as its owner, in a draft that is dropped: refused for a lasting reason, it cannot run. */
function cannotRun(draft: Draft, instruction: StandingInstruction, atMs: number): Conflict[] {
  const asset = draft.get('assets', draft.get('accounts', instruction.from)?.asset ?? '');
  const owner = draft.get('participants', instruction.owner);
  if (asset === undefined || owner === undefined) return [];
  const minor = instruction.kind === 'pay' ? instruction.amountMinor! : 1n;
  const op = { type: 'transfer', from: instruction.from, to: instruction.to, amount: formatAmount(minor, asset.decimals) };
  const outcome = runForInstruction(new Draft(draft), owner, op, atMs, { instruction: instruction.id, depth: 0 });
  if ('events' in outcome || PASSING.has(outcome.code)) return [];
  return [{ kind: 'cannot_run', instructions: [instruction.id], code: outcome.code, message: `${instruction.id} cannot run: ${outcome.code}: ${outcome.message}` }];
}

/** The account an instruction takes money from on its schedule. */
const scheduledDebit = (instruction: StandingInstruction) => (instruction.schedule === undefined || instruction.nextRunAtMs === null ? null : instruction.from);

/** Pairs of scheduled instructions taking from one account at one moment, where together they may want more than is there. */
function competing(draft: Draft, instructions: readonly StandingInstruction[], fromMs: number, untilMs: number): Conflict[] {
  const found: Conflict[] = [];
  const all = instructions.filter((instruction) => scheduledDebit(instruction) !== null);
  // Only instructions sharing an account can compete: their dates alone are walked.
  const scheduled = all.filter((instruction) => all.some((other) => other !== instruction && other.from === instruction.from));
  const dates = new Map(scheduled.map((instruction) => [instruction.id, new Set([instruction.nextRunAtMs!, ...occurrences(instruction.schedule!, fromMs, untilMs, instruction.nextRunAtMs!, DATES_COMPARED_MAX)])]));
  for (const [i, first] of scheduled.entries()) {
    for (const second of scheduled.slice(i + 1)) {
      if (first.from !== second.from) continue;
      const together = [...dates.get(first.id)!].filter((atMs) => atMs <= untilMs && dates.get(second.id)!.has(atMs)).sort((a, b) => a - b)[0];
      if (together === undefined || !mayCompete(draft, first, second)) continue;
      found.push({
        kind: 'competing', instructions: [first.id, second.id], atMs: together,
        message: `${first.id} and ${second.id} both take from ${first.from} at ${isoTime(together)}: ${first.id} runs first, and ${second.id} gets what it leaves`,
      });
    }
  }
  return found;
}

/** A sweep takes all there is above what it keeps, so it competes with anything; fixed amounts compete when together they pass the balance now. */
function mayCompete(draft: Draft, a: StandingInstruction, b: StandingInstruction): boolean {
  if (a.kind !== 'pay' || b.kind !== 'pay') return true;
  return a.amountMinor! + b.amountMinor! > (draft.get('accounts', a.from)?.availableMinor ?? 0n);
}
