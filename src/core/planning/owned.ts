import { ownerKey, type StandingInstruction } from '../entities/index.js';
import type { Draft } from '../state.js';

/** The most instructions of one owner (in id order) a simulation or a conflict check looks at: it runs on the node's main thread. */
export const PLANNED_INSTRUCTIONS_MAX = 256;

/** The owner's standing instructions in force, as the draft has them (the ones it adds included), in id order. */
export function activeInstructionsOf(draft: Draft, owner: string): StandingInstruction[] {
  const ids = new Set(draft.state.indexed('standing_instructions', ownerKey(owner)));
  for (const id of draft.writtenIds('standing_instructions')) ids.add(id);
  const found: StandingInstruction[] = [];
  for (const id of [...ids].sort()) {
    const instruction = draft.get('standing_instructions', id);
    if (instruction?.owner === owner && instruction.status === 'active') found.push(instruction);
    if (found.length === PLANNED_INSTRUCTIONS_MAX) break;
  }
  return found;
}
