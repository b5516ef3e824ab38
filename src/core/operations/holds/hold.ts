import { Type } from 'typebox';
import { formatAmount } from '../../amount.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id, TimeMs } from '../../schema.js';
import { amountChecks, movementChecks, mustBeNew } from '../checks.js';
import { withBalances } from '../effects.js';
import { holdOnPayer, legsExist, payerConsents, payerHasFunds, resolveLegs, sameAsset } from '../payments/legs.js';

/** The longest a hold may reserve funds: 90 days. */
export const HOLD_DURATION_MAX_MS = 90 * 24 * 60 * 60 * 1000;

export const holdPlaced = defineEvent('hold_placed', "an amount was moved from the payer's available balance into its held balance, toward a payee", Type.Object({
  hold: Id, from: Id, to: Id, asset: Id, amount: Amount, expiresAtMs: TimeMs,
}));

export const placeHold = operation({
  family: 'holds',
  summary: 'reserve funds toward a payee until posted, voided or expired',
  schema: Type.Object({ type: Type.Literal('hold'), hold: Id, from: Id, to: Id, amount: Amount, expiresAtMs: TimeMs }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of the paying account, or a delegate it named',
  events: [holdPlaced],
  // Formats a time the operation carries; no clock is read.
  // eslint-disable-next-line no-restricted-globals
  describe: (op) => `hold ${op.amount} from ${op.from} for ${op.to} until ${new Date(op.expiresAtMs).toISOString()} (hold ${op.hold})`,
}).resolve((ctx, op) => ({ ...resolveLegs(ctx, op), existing: ctx.draft.get('holds', op.hold) })).define({
  checks: [
    legsExist(),
    mustBeNew('hold', 'hold', (env) => env.existing),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    {
      code: 'invalid_expiry', field: 'expiresAtMs',
      fails: (_env, op, ctx) => op.expiresAtMs <= ctx.blockTimeMs || op.expiresAtMs > ctx.blockTimeMs + HOLD_DURATION_MAX_MS,
      explain: (_env, op) => `expiresAtMs ${op.expiresAtMs} must be in the future and at most 90 days ahead`,
    },
    sameAsset(),
    payerConsents(),
    movementChecks((env) => [env.payer!, env.payee!], (env) => env.asset!),
    payerHasFunds(),
  ],
  apply: (ctx, op, env) => {
    const payer = env.payer!;
    const asset = env.asset!;
    holdOnPayer(ctx.draft, payer, env.minor);
    ctx.draft.put('holds', op.hold, { id: op.hold, asset: asset.id, payer: payer.id, payee: op.to, amountMinor: env.minor, postedMinor: 0n, expiresAtMs: op.expiresAtMs, status: 'pending' });
    const event = holdPlaced.of({ hold: op.hold, from: payer.id, to: op.to, asset: asset.id, amount: formatAmount(env.minor, asset.decimals), expiresAtMs: op.expiresAtMs }, { accounts: [payer.id, op.to] });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => [lookup.ownerOf(op.from), lookup.ownerOf(op.to)],
  accounts: (op) => [op.from, op.to],
  debits: (_op, env) => [{ account: env.payer!, minor: env.minor, to: env.payee }],
});
