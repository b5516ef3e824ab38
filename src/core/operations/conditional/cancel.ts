import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor } from '../checks.js';
import { conditionalReturned } from './events.js';
import { closeConditional, conditionalAccounts, conditionalExists, conditionalParties, notDisputed, resolveConditional, stillOpen } from './resolution.js';

/**
 * Cancels what is still locked, back to the payer. The payee may always give up its
 * claim; the payer cannot take back what it locked without the payee's signature too
 * (that is what makes it an escrow).
 */
export const cancelConditional = operation({
  family: 'conditional',
  summary: 'cancel a conditional payment: what is still locked returns to the payer',
  schema: Type.Object({ type: Type.Literal('cancel_conditional'), payment: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the payee's owner (or a delegate); the payer alone may not",
  events: [conditionalReturned],
  describe: (op) => `cancel conditional payment ${op.payment}`,
}).resolve(resolveConditional).define({
  checks: [
    conditionalExists(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !actsFor(ctx, env.payee!.owner), explain: (env) => `cancelling conditional payment ${env.payment!.id} needs the payee's signature (${env.payee!.owner}), with the payer's or alone` },
    stillOpen(),
    notDisputed(),
  ],
  apply: (ctx, _op, env) => closeConditional(ctx.draft, env.payment!, 'cancelled', 'cancelled'),
  parties: (op, lookup) => conditionalParties(op.payment, lookup),
  accounts: (op, lookup) => conditionalAccounts(op.payment, lookup),
});
