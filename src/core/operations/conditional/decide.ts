import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { lockedMinor } from '../../entities/index.js';
import { operation } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { amountChecks, amountIn, movementChecks, onlyWhen } from '../checks.js';
import { withBalances } from '../effects.js';
import { conditionalReturned, disputeDecided, releaseDeferred, trancheReleased } from './events.js';
import { closeConditional, conditionalAccounts, conditionalExists, conditionalParties, releaseDue, resolveConditional } from './resolution.js';

/**
 * The arbiter ends a dispute: `resume` (conditions and deadline apply again; a deadline
 * that passed meanwhile returns the funds at the next block), or `settle`, paying
 * `toPayee` of what is locked to the payee and the rest back to the payer.
 */
export const decideDispute = operation({
  family: 'conditional',
  summary: 'decide a dispute on a conditional payment, as its arbiter: resume, or settle by splitting what is locked',
  schema: Type.Object({
    type: Type.Literal('decide_dispute'), payment: Id, decision: Type.Union([Type.Literal('resume'), Type.Literal('settle')]),
    toPayee: Type.Optional({ ...Amount, description: 'with settle: what the payee receives of what is locked (the rest returns to the payer); "0" refunds all' }),
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer', 'operator', 'compliance'],
  consent: 'the arbiter the payment names, as the sender',
  events: [disputeDecided, conditionalReturned, trancheReleased, releaseDeferred],
  describe: (op) => `decide the dispute on conditional payment ${op.payment}: ${op.decision}${op.toPayee === undefined ? '' : `, ${op.toPayee} to the payee`}`,
}).resolve((ctx, op) => {
    const env = resolveConditional(ctx, op);
    const amount = op.toPayee === undefined ? undefined : amountIn(op, 'toPayee', env.asset);
    return { ...env, amount, toPayeeMinor: amount?.ok === true ? amount.minor : 0n };
  }).define({
  checks: [
    conditionalExists(),
    amountChecks('toPayee', (env) => env.amount, (env) => env.asset, 'allowed'),
    { code: 'invalid_conditions', field: 'toPayee', fails: (_env, op) => (op.decision === 'settle') !== (op.toPayee !== undefined), explain: (_env, op) => (op.decision === 'settle' ? 'settle names what the payee receives (toPayee)' : 'resume moves no money: leave toPayee out') },
    { code: 'not_authorized', fails: (env, _op, ctx) => env.payment!.arbiter !== ctx.sender.id, explain: (env, _op, ctx) => `${ctx.sender.id} is not the arbiter of conditional payment ${env.payment!.id} (${env.payment!.arbiter ?? 'it names none'})` },
    // Paying the payee is a movement of money like any other; a refund to the payer is not held back.
    onlyWhen((env) => env.toPayeeMinor > 0n, movementChecks((env) => [env.payer!, env.payee!], (env) => env.asset!)),
    { code: 'payment_closed', field: 'payment', fails: (env) => env.payment!.status !== 'active', explain: (env) => `conditional payment ${env.payment!.id} is ${env.payment!.status}` },
    { code: 'payment_not_disputed', field: 'payment', fails: (env) => env.payment!.disputedBy === null, explain: (env) => `conditional payment ${env.payment!.id} is not disputed` },
    { code: 'locked_amount_exceeded', field: 'toPayee', fails: (env) => env.toPayeeMinor > lockedMinor(env.payment!), explain: (env) => `conditional payment ${env.payment!.id} has ${formatAmount(lockedMinor(env.payment!), env.asset!.decimals)} locked` },
  ],
  apply: (ctx, op, env) => {
    const payment = env.payment!;
    const asset = env.asset!;
    const locked = lockedMinor(payment);
    const toPayee = op.decision === 'settle' ? env.toPayeeMinor : 0n;
    const event = disputeDecided.of({ payment: payment.id, arbiter: ctx.sender.id, decision: op.decision, toPayee: formatAmount(toPayee, asset.decimals), toPayer: formatAmount(op.decision === 'settle' ? locked - toPayee : 0n, asset.decimals) }, { accounts: [payment.payer, payment.payee], participants: [ctx.sender.id] });
    if (op.decision === 'resume') {
      ctx.draft.put('conditional_payments', payment.id, { ...payment, disputedBy: null });
      const released = payment.deadlineMs > ctx.blockTimeMs ? releaseDue(ctx.draft, payment.id, ctx.blockTimeMs) : [];
      return [{ event, balances: [] }, ...released];
    }
    const returned = closeConditional(ctx.draft, payment, 'completed', 'arbiter', toPayee);
    return [withBalances(ctx.draft, event), ...returned];
  },
  parties: (op, lookup) => conditionalParties(op.payment, lookup),
  accounts: (op, lookup) => conditionalAccounts(op.payment, lookup),
});
