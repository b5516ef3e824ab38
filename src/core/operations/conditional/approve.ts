import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { conditionalApproved, releaseDeferred, trancheReleased } from './events.js';
import { conditionalAccounts, conditionalExists, conditionalParties, notDisputed, releaseDue, resolveConditional, stillOpen, trancheExists, tranchePending, updateTranche } from './resolution.js';

/** An approver named by a tranche approves it: its own signature, as the transaction's sender. */
export const approveConditional = operation({
  family: 'conditional',
  summary: "approve a tranche of a conditional payment, as one of the approvers it names",
  schema: Type.Object({ type: Type.Literal('approve_conditional'), payment: Id, tranche: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer', 'operator', 'compliance'],
  consent: 'an approver the tranche names, as the sender',
  events: [conditionalApproved, trancheReleased, releaseDeferred],
  describe: (op) => `approve tranche ${op.tranche} of conditional payment ${op.payment}`,
}).resolve(resolveConditional).define({
  checks: [
    conditionalExists(),
    trancheExists(),
    { code: 'not_an_approver', fails: (env, _op, ctx) => !env.tranche!.approvers.includes(ctx.sender.id), explain: (env, _op, ctx) => `${ctx.sender.id} is not an approver of tranche ${env.tranche!.id} (its approvers: ${env.tranche!.approvers.join(', ') || 'none'})` },
    stillOpen(),
    notDisputed(),
    tranchePending(),
    { code: 'approval_already_given', fails: (env, _op, ctx) => env.tranche!.approvals.includes(ctx.sender.id), explain: (env, _op, ctx) => `${ctx.sender.id} approved tranche ${env.tranche!.id} already` },
  ],
  apply: (ctx, op, env) => {
    const tranche = env.tranche!;
    const approvals = [...tranche.approvals, ctx.sender.id];
    updateTranche(ctx.draft, env.payment!, tranche.id, { approvals });
    const event = conditionalApproved.of({ payment: op.payment, tranche: tranche.id, approver: ctx.sender.id, approvals: approvals.length, required: tranche.approvalsRequired }, { accounts: [env.payment!.payer, env.payment!.payee], participants: [ctx.sender.id] });
    return [{ event, balances: [] }, ...releaseDue(ctx.draft, op.payment, ctx.blockTimeMs)];
  },
  parties: (op, lookup) => conditionalParties(op.payment, lookup),
  accounts: (op, lookup) => conditionalAccounts(op.payment, lookup),
});
