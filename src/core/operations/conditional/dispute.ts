import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id, Text } from '../../schema.js';
import { actsFor } from '../checks.js';
import { conditionalDisputed } from './events.js';
import { conditionalAccounts, conditionalExists, conditionalParties, notDisputed, resolveConditional, stillOpen } from './resolution.js';

/** Either party stops every release (and the deadline) until the arbiter named at creation decides. */
export const disputeConditional = operation({
  family: 'conditional',
  summary: 'dispute a conditional payment: nothing is released until its arbiter decides',
  schema: Type.Object({ type: Type.Literal('dispute_conditional'), payment: Id, reason: Text(500) }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the payer's or the payee's owner (or a delegate)",
  events: [conditionalDisputed],
  describe: (op) => `dispute conditional payment ${op.payment}: ${op.reason}`,
}).resolve(resolveConditional).define({
  checks: [
    conditionalExists(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !actsFor(ctx, env.payer!.owner) && !actsFor(ctx, env.payee!.owner), explain: (env) => `only the payer (${env.payer!.owner}) or the payee (${env.payee!.owner}) may dispute conditional payment ${env.payment!.id}` },
    stillOpen(),
    notDisputed(),
    { code: 'no_arbiter', fails: (env) => env.payment!.arbiter === null, explain: (env) => `conditional payment ${env.payment!.id} names no arbiter, so it cannot be disputed on the ledger` },
  ],
  apply: (ctx, op, env) => {
    const payment = env.payment!;
    // The party whose account it is, even when a delegate signed.
    const by = actsFor(ctx, ctx.draft.get('accounts', payment.payer)!.owner) ? ctx.draft.get('accounts', payment.payer)!.owner : ctx.draft.get('accounts', payment.payee)!.owner;
    ctx.draft.put('conditional_payments', payment.id, { ...payment, disputedBy: by });
    const event = conditionalDisputed.of({ payment: payment.id, by, arbiter: payment.arbiter!, reason: op.reason }, { accounts: [payment.payer, payment.payee], participants: [payment.arbiter!] });
    return [{ event, balances: [] }];
  },
  parties: (op, lookup) => conditionalParties(op.payment, lookup),
  accounts: (op, lookup) => conditionalAccounts(op.payment, lookup),
});
