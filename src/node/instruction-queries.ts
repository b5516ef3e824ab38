import { Draft, instructionConflicts, ownerKey, type LedgerState, type StandingInstruction } from '../core/index.js';
import { LedgerError } from './errors.js';
import { instructionView } from './views.js';
import { actsAs, type Viewer } from './visibility.js';

const DAY_MS = 86_400_000;

/**
 * Standing instructions as their owners (and overseers) see them: no one else learns of
 * them, not even the account they pay. Read from the in-memory state.
 */
export class InstructionQueries {
  constructor(private readonly state: () => LedgerState) {}

  /** The owner the viewer asks about: itself (or one it is a delegate of); any, for overseers. */
  private ownerFor(viewer: Viewer, owner: string | undefined): string {
    const asked = owner ?? viewer.participant.id;
    if (!viewer.seesAll && !actsAs(viewer, asked, this.state())) throw new LedgerError('forbidden', `${viewer.participant.id} may not see the standing instructions of ${asked}`, 'owner');
    return asked;
  }

  list(viewer: Viewer, owner: string | undefined, status: StandingInstruction['status'] | undefined, limit: number) {
    const state = this.state();
    const ids = [...state.indexed('standing_instructions', ownerKey(this.ownerFor(viewer, owner)))].sort();
    const found = ids.map((id) => state.standing_instructions.get(id)!).filter((instruction) => status === undefined || instruction.status === status);
    return { data: found.slice(0, limit).map((instruction) => this.view(instruction)), has_more: found.length > limit };
  }

  one(viewer: Viewer, id: string) {
    const instruction = this.state().standing_instructions.get(id);
    if (instruction === undefined) throw new LedgerError('instruction_not_found', `no standing instruction ${id}`, 'id');
    if (!viewer.seesAll && !actsAs(viewer, instruction.owner, this.state())) throw new LedgerError('forbidden', `${viewer.participant.id} does not own standing instruction ${id}`, 'id');
    return this.view(instruction);
  }

  /** Conflicts among the owner's instructions in force, over the next `days` days. */
  conflicts(viewer: Viewer, owner: string | undefined, days: number, atMs: number) {
    const asked = this.ownerFor(viewer, owner);
    return { owner: asked, fromMs: atMs, untilMs: atMs + days * DAY_MS, conflicts: instructionConflicts(new Draft(this.state()), asked, atMs, atMs + days * DAY_MS) };
  }

  private view(instruction: StandingInstruction) {
    const state = this.state();
    return instructionView(instruction, state.assets.get(state.accounts.get(instruction.from)!.asset)!);
  }
}
