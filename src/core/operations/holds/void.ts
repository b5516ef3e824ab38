import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { actsFor } from '../checks.js';
import { withBalances } from '../effects.js';
import { holdAmount, release } from './release.js';
import { holdAccountIds, holdExists, holdParties, resolveHold, stillPending } from './resolution.js';

export const holdVoided = defineEvent('hold_voided', 'a hold was cancelled: all of it returned to the payer', Type.Object({ hold: Id, from: Id, to: Id, asset: Id, amount: Amount }));

/** Either side may void a pending hold: the payer withdraws it, the payee declines it. */
export const voidHold = operation({
  family: 'holds',
  summary: 'cancel a hold: its funds return to the payer',
  schema: Type.Object({ type: Type.Literal('void'), hold: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the payer's or the payee's owner (or a delegate)",
  events: [holdVoided],
  describe: (op) => `void hold ${op.hold}`,
}).resolve((ctx, op) => resolveHold(ctx, op.hold)).define({
  checks: [
    holdExists(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !actsFor(ctx, env.payer!.owner) && !actsFor(ctx, env.payee!.owner), explain: (env) => `only the payer (${env.payer!.owner}) or the payee (${env.payee!.owner}) may void hold ${env.hold!.id}` },
    stillPending(),
  ],
  apply: (ctx, _op, env) => {
    const hold = env.hold!;
    release(ctx.draft, hold, 0n, 'voided');
    const event = holdVoided.of({ hold: hold.id, from: hold.payer, to: hold.payee, asset: hold.asset, amount: holdAmount(ctx.draft, hold, hold.amountMinor) }, { accounts: [hold.payer, hold.payee] });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => holdParties(op.hold, lookup),
  accounts: (op, lookup) => holdAccountIds(op.hold, lookup),
});
