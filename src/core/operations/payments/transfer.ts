import { Type } from 'typebox';
import { addChecked, formatAmount } from '../../amount.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import { amountChecks, movementChecks } from '../checks.js';
import { withBalances } from '../effects.js';
import { legsExist, payerConsents, payerHasFunds, resolveLegs, sameAsset } from './legs.js';
import { travelRuleCarried } from '../travel-rule/required.js';

export const transferred = defineEvent('transferred', 'an amount moved from one account to another', Type.Object({ from: Id, to: Id, asset: Id, amount: Amount }));

export const transfer = operation({
  family: 'payments',
  summary: 'pay from one account to another of the same asset',
  schema: Type.Object({
    type: Type.Literal('transfer'), from: Id, to: Id, amount: Amount,
    travelRule: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the IVMS101 originator and beneficiary data (RFC 8785 JSON), sent beside the transaction: required across jurisdictions at or above the threshold' })),
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of the paying account, or a delegate it named',
  events: [transferred],
  describe: (op) => `pay ${op.amount} from ${op.from} to ${op.to}`,
}).resolve(resolveLegs).define({
  checks: [
    legsExist(),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    sameAsset(),
    travelRuleCarried(),
    payerConsents(),
    movementChecks((env) => [env.payer!, env.payee!], (env) => env.asset!),
    payerHasFunds(),
    { code: 'amount_overflow', field: 'amount', fails: (env) => env.payer!.id !== env.payee!.id && addChecked(env.payee!.availableMinor, env.minor) === null, explain: (env) => `${env.payee!.id}'s balance would pass the ledger's ceiling` },
  ],
  apply: (ctx, _op, env) => {
    const payer = env.payer!;
    const payee = env.payee!;
    if (payer.id !== payee.id) {
      ctx.draft.put('accounts', payer.id, { ...payer, availableMinor: payer.availableMinor - env.minor });
      ctx.draft.put('accounts', payee.id, { ...payee, availableMinor: payee.availableMinor + env.minor });
    }
    const event = transferred.of({ from: payer.id, to: payee.id, asset: env.asset!.id, amount: formatAmount(env.minor, env.asset!.decimals) }, { accounts: [payer.id, payee.id] });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => [lookup.ownerOf(op.from), lookup.ownerOf(op.to)],
  accounts: (op) => [op.from, op.to],
  debits: (_op, env) => (env.payer!.id === env.payee!.id ? [] : [{ account: env.payer!, minor: env.minor, to: env.payee }]),
});
