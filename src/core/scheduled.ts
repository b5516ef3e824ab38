import type { TableName } from './entities/index.js';
import type { AppliedEvent, EventDefinition } from './events.js';
import type { InstructionRunner } from './operation.js';
import type { Draft } from './state.js';

/**
 * What the block-time scheduler does with an entity that fell due (an entity declares
 * when with `dueAtMs`): at the start of the first block at or after that time, before
 * the block's transactions. Time comes only from the block, so a replay reproduces it.
 */
export interface ScheduledEffect {
  readonly table: TableName;
  readonly events: readonly EventDefinition[];
  /** The most entities of the table one block handles; the rest wait for the next blocks, in order. */
  readonly perBlockMax?: number;
  /** `run` runs an operation for a standing instruction, under the rules any transaction meets. */
  apply(draft: Draft, entity: unknown, blockTimeMs: number, run: InstructionRunner): AppliedEvent[];
}

export function defineScheduled(effect: ScheduledEffect): ScheduledEffect {
  return effect;
}
