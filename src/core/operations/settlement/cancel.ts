import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor } from '../checks.js';
import { settlementUnwound } from './events.js';
import { legOwners, resolveSettlement, settlementAccounts, settlementExists, settlementParties, stillProposed, unwind } from './resolution.js';

/** Any party withdraws before settlement: every allocation returns to its sender. */
export const cancelSettlement = operation({
  family: 'settlement',
  summary: 'cancel a settlement before it settles: every allocation returns to its sender',
  schema: Type.Object({ type: Type.Literal('cancel_settlement'), settlement: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of an account one of the legs names (or a delegate)',
  events: [settlementUnwound],
  describe: (op) => `cancel settlement ${op.settlement}`,
}).resolve(resolveSettlement).define({
  checks: [
    settlementExists(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !legOwners(ctx.draft, env.settlement!).some((owner) => actsFor(ctx, owner)), explain: (env, _op, ctx) => `${ctx.sender.id} is not a party to settlement ${env.settlement!.id}` },
    stillProposed(),
  ],
  apply: (ctx, _op, env) => unwind(ctx.draft, env.settlement!, 'cancelled'),
  parties: (op, lookup) => settlementParties(op.settlement, lookup),
  accounts: (op, lookup) => settlementAccounts(op.settlement, lookup),
});
