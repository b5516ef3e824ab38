import { Type } from 'typebox';
import { instructionAccounts } from '../../entities/index.js';
import { operation, type OperationContext } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor, mustExist } from '../checks.js';
import { instructionCancelled } from './events.js';

/** Its owner cancels a standing instruction, in force or suspended: it will not run again. */
export const cancelStandingInstruction = operation({
  family: 'instructions',
  summary: 'cancel a standing instruction (in force or suspended)',
  schema: Type.Object({ type: Type.Literal('cancel_standing_instruction'), instruction: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the instruction's owner, or a delegate it named",
  events: [instructionCancelled],
  describe: (op) => `cancel standing instruction ${op.instruction}`,
}).resolve((ctx: OperationContext, op) => ({ instruction: ctx.draft.get('standing_instructions', op.instruction) })).define({
  checks: [
    mustExist('instruction_not_found', 'instruction', 'standing instruction', (env) => env.instruction),
    { code: 'not_authorized', field: 'instruction', fails: (env, _op, ctx) => !actsFor(ctx, env.instruction!.owner), explain: (env) => `only ${env.instruction!.owner} (or its delegate) may cancel ${env.instruction!.id}` },
    {
      code: 'instruction_closed', field: 'instruction',
      fails: (env) => env.instruction!.status === 'cancelled' || env.instruction!.status === 'finished',
      explain: (env) => `standing instruction ${env.instruction!.id} is ${env.instruction!.status} already`,
    },
  ],
  apply: (ctx, _op, env) => {
    const instruction = env.instruction!;
    ctx.draft.put('standing_instructions', instruction.id, { ...instruction, status: 'cancelled', armedAtMs: null, pendingMinor: 0n });
    const accounts = instructionAccounts(instruction, (account) => ctx.draft.get('accounts', account)?.owner);
    return [{ event: instructionCancelled.of({ instruction: instruction.id }, { accounts, participants: [instruction.owner] }), balances: [] }];
  },
  parties: (op, lookup) => [lookup.instruction(op.instruction)?.owner],
  accounts: (op, lookup) => lookup.instruction(op.instruction)?.accounts ?? [],
});
