import { parseAmount } from '../../amount.js';
import { accountKey, watchedAccount, type StandingInstruction } from '../../entities/index.js';
import type { AppliedEvent } from '../../events.js';
import type { OperationContext } from '../../operation.js';
import { instructionChainStopped } from './events.js';

/**
 * How deep instructions may arm one another: a payment arms a sweep (depth 1), whose
 * payment arms another account's sweep (depth 2), and so on. Past this, arming stops
 * with an event, so a loop of instructions cannot run away.
 */
export const TRIGGER_DEPTH_MAX = 4;

/**
 * After an operation applied: arms the standing instructions its payments concern. A
 * sweep whose account ends above what it keeps, a top-up whose account ends below its
 * floor, a split whose account received a transfer with its reference. An armed
 * instruction runs at the start of the next block (or in this block's start, when an
 * instruction's own payment armed it): never inside the transaction that armed it, whose
 * sender learns nothing of the payee's instructions.
 */
export function armTriggers(ctx: OperationContext, events: readonly AppliedEvent[]): AppliedEvent[] {
  const { draft } = ctx;
  if (draft.state.standing_instructions.size === 0) return [];
  const touched = new Set<string>();
  for (const { balances } of events) for (const balance of balances) touched.add(balance.account);
  const stopped: AppliedEvent[] = [];
  for (const account of touched) {
    for (const id of draft.state.indexed('standing_instructions', accountKey(account))) {
      const instruction = draft.get('standing_instructions', id)!;
      if (instruction.status !== 'active' || watchedAccount(instruction) !== account || ctx.trigger?.instruction === id) continue;
      const armed = arming(ctx, instruction, events);
      if (armed === null) continue;
      const depth = (ctx.trigger?.depth ?? 0) + 1;
      if (depth > TRIGGER_DEPTH_MAX) {
        stopped.push({ event: instructionChainStopped.of({ instruction: id, depth }, { accounts: [account], participants: [instruction.owner] }), balances: [] });
        continue;
      }
      draft.put('standing_instructions', id, {
        ...armed,
        armedAtMs: instruction.armedAtMs ?? ctx.blockTimeMs,
        armedDepth: instruction.armedAtMs === null ? depth : Math.min(instruction.armedDepth, depth),
      });
    }
  }
  return stopped;
}

/** The instruction as the operation arms it (a split's share added), or null if the operation does not arm it. */
function arming(ctx: OperationContext, instruction: StandingInstruction, events: readonly AppliedEvent[]): StandingInstruction | null {
  if (instruction.kind === 'sweep') return ctx.draft.get('accounts', instruction.from)!.availableMinor > instruction.keepMinor! ? instruction : null;
  if (instruction.kind === 'top_up') return ctx.draft.get('accounts', instruction.to)!.availableMinor < instruction.floorMinor! ? instruction : null;
  if (instruction.kind !== 'split' || ctx.reference !== instruction.reference) return null;
  const decimals = ctx.draft.get('assets', ctx.draft.get('accounts', instruction.from)!.asset)!.decimals;
  let share = 0n;
  for (const { event } of events) {
    const data = event.data as { to?: unknown; amount?: unknown };
    if (event.type !== 'transferred' || data.to !== instruction.from || typeof data.amount !== 'string') continue;
    const amount = parseAmount(data.amount, decimals);
    if (amount.ok) share += (amount.minor * BigInt(instruction.shareBps!)) / 10_000n;
  }
  return share === 0n ? null : { ...instruction, pendingMinor: instruction.pendingMinor + share };
}
