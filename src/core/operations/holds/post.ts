import { Type } from 'typebox';
import { addChecked, formatAmount } from '../../amount.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { actsFor, amountChecks, amountIn, movementChecks } from '../checks.js';
import { withBalances } from '../effects.js';
import { holdAmount, release } from './release.js';
import { holdAccountIds, holdExists, holdParties, resolveHold, stillPending } from './resolution.js';

export const holdPosted = defineEvent('hold_posted', 'a hold was paid out to the payee, in full or in part; the rest returned to the payer', Type.Object({
  hold: Id, from: Id, to: Id, asset: Id, amount: Amount, released: Amount,
}));

export const postHold = operation({
  family: 'holds',
  summary: 'pay out a hold, in full or in part, once; what is not posted returns to the payer',
  schema: Type.Object({ type: Type.Literal('post'), hold: Id, amount: Type.Optional(Amount) }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the payer's owner, or a delegate it named",
  events: [holdPosted],
  describe: (op) => `post hold ${op.hold}${op.amount === undefined ? ' in full' : `: ${op.amount}`}`,
}).resolve((ctx, op) => {
    const env = resolveHold(ctx, op.hold);
    const amount = op.amount === undefined ? undefined : amountIn(op, 'amount', env.asset);
    const minor = op.amount === undefined ? (env.hold?.amountMinor ?? 0n) : amount?.ok === true ? amount.minor : 0n;
    return { ...env, amount, minor };
  }).define({
  checks: [
    holdExists(),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    { code: 'not_authorized', fails: (env, _op, ctx) => !actsFor(ctx, env.payer!.owner), explain: (env) => `only ${env.payer!.owner}, the payer (or its delegate), may post hold ${env.hold!.id}` },
    movementChecks((env) => [env.payer!, env.payee!], (env) => env.asset!),
    stillPending(),
    { code: 'hold_amount_exceeded', field: 'amount', fails: (env) => env.minor > env.hold!.amountMinor, explain: (env) => `hold ${env.hold!.id} holds ${formatAmount(env.hold!.amountMinor, env.asset!.decimals)}` },
    { code: 'amount_overflow', field: 'amount', fails: (env) => addChecked(env.payee!.availableMinor, env.minor) === null, explain: (env) => `${env.payee!.id}'s balance would pass the ledger's ceiling` },
  ],
  apply: (ctx, _op, env) => {
    const hold = env.hold!;
    release(ctx.draft, hold, env.minor, 'posted');
    const event = holdPosted.of({ hold: hold.id, from: hold.payer, to: hold.payee, asset: hold.asset, amount: holdAmount(ctx.draft, hold, env.minor), released: holdAmount(ctx.draft, hold, hold.amountMinor - env.minor) }, { accounts: [hold.payer, hold.payee] });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => holdParties(op.hold, lookup),
  accounts: (op, lookup) => holdAccountIds(op.hold, lookup),
});
