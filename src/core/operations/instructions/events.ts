import { Type } from 'typebox';
import { INSTRUCTION_KINDS } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { REJECTION_PRECEDENCE } from '../../codes.js';
import { Amount, Id, literals, TimeMs } from '../../schema.js';

const NextRun = Type.Union([TimeMs, Type.Null()]);

export const instructionSet = defineEvent('standing_instruction_set', 'a standing instruction was set up: it runs on its schedule, or when a payment arms it', Type.Object({
  instruction: Id, kind: literals(INSTRUCTION_KINDS), from: Id, to: Id, onPayment: Type.Boolean(), nextRunAtMs: NextRun,
}));

export const instructionCancelled = defineEvent('standing_instruction_cancelled', 'a standing instruction was cancelled by its owner: it will not run again', Type.Object({ instruction: Id }));

export const instructionExecuted = defineEvent('instruction_executed', 'a standing instruction ran and moved money (the transfer follows it)', Type.Object({
  instruction: Id, trigger: literals(['schedule', 'payment'] as const), amount: Amount, depth: Type.Integer({ minimum: 0 }), nextRunAtMs: NextRun,
}));

export const instructionFailed = defineEvent('instruction_failed', 'a standing instruction could not run: the attempt is recorded with why, and nothing moved', Type.Object({
  instruction: Id, code: literals(REJECTION_PRECEDENCE), reason: Type.String(), failures: Type.Integer({ minimum: 1 }), nextRunAtMs: NextRun,
}));

export const instructionSuspended = defineEvent('instruction_suspended', 'a standing instruction failed its allowed number of times in a row and stopped: its owner cancels it and sets it up again', Type.Object({ instruction: Id, failures: Type.Integer({ minimum: 1 }) }));

export const instructionFinished = defineEvent('instruction_finished', "a standing instruction's schedule has no further date: it will not run again", Type.Object({ instruction: Id }));

export const instructionChainStopped = defineEvent('instruction_chain_stopped', 'a chain of standing instructions arming one another reached its depth bound: this instruction was not armed', Type.Object({
  instruction: Id, depth: Type.Integer({ minimum: 1 }),
}));
