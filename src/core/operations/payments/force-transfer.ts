import { Type } from 'typebox';
import { addChecked, formatAmount } from '../../amount.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, Id, literals, Text } from '../../schema.js';
import { FORCE_TRANSFER_REASONS } from '../../vocabulary.js';
import { amountChecks, kycChecks } from '../checks.js';
import { withBalances } from '../effects.js';
import { legsExist, payerHasFunds, resolveLegs, sameAsset } from './legs.js';

export { FORCE_TRANSFER_REASONS } from '../../vocabulary.js';

const LegalReference = Type.String({ ...Text(140), minLength: 1, description: 'the order, case or ruling that compels the transfer, e.g. "SDNY 1:26-cv-01234, order of 2026-11-20"' });

export const forceTransferred = defineEvent('force_transferred', "an amount was moved without its owner's consent, on legal grounds", Type.Object({
  from: Id, to: Id, asset: Id, amount: Amount, reason: literals(FORCE_TRANSFER_REASONS), legalReference: LegalReference, orderedBy: Id,
}));

/**
 * Moves money out of an account without its owner's consent, on legal grounds: a court
 * order, a seizure, a fraud recovery. Sent by a compliance officer and co-signed by the
 * asset's issuer (four eyes). A frozen payer is the usual case and does not stop it; the
 * payee must be able to receive (KYC-approved, not frozen), and the asset not paused.
 */
export const forceTransfer = operation({
  family: 'payments',
  summary: "move money without its owner's consent, on legal grounds (compliance, co-signed by the issuer)",
  schema: Type.Object({
    type: Type.Literal('force_transfer'), from: Id, to: Id, amount: Amount,
    reason: literals(FORCE_TRANSFER_REASONS), legalReference: LegalReference,
  }, { additionalProperties: false }),
  initiators: ['compliance'],
  consent: "compliance, and the asset's issuer",
  events: [forceTransferred],
  describe: (op) => `force ${op.amount} from ${op.from} to ${op.to} (${op.reason.replaceAll('_', ' ')}: ${op.legalReference})`,
}).resolve(resolveLegs).define({
  checks: [
    legsExist(),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    sameAsset(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !ctx.signers.has(env.asset!.issuer), explain: (env) => `a forced transfer also needs the signature of ${env.asset!.issuer}, the issuer of ${env.asset!.id}` },
    kycChecks((env) => [env.payee!.owner]),
    { code: 'account_frozen', field: 'to', fails: (env) => env.payee!.frozen, explain: (env) => `account ${env.payee!.id} is frozen: it cannot receive` },
    { code: 'asset_paused', fails: (env) => env.asset!.paused, explain: (env) => `asset ${env.asset!.id} is paused` },
    payerHasFunds(),
    { code: 'amount_overflow', field: 'amount', fails: (env) => env.payer!.id !== env.payee!.id && addChecked(env.payee!.availableMinor, env.minor) === null, explain: (env) => `${env.payee!.id}'s balance would pass the ledger's ceiling` },
  ],
  apply: (ctx, op, env) => {
    const payer = env.payer!;
    const payee = env.payee!;
    if (payer.id !== payee.id) {
      ctx.draft.put('accounts', payer.id, { ...payer, availableMinor: payer.availableMinor - env.minor });
      ctx.draft.put('accounts', payee.id, { ...payee, availableMinor: payee.availableMinor + env.minor });
    }
    const event = forceTransferred.of(
      { from: payer.id, to: payee.id, asset: env.asset!.id, amount: formatAmount(env.minor, env.asset!.decimals), reason: op.reason, legalReference: op.legalReference, orderedBy: ctx.sender.id },
      { accounts: [payer.id, payee.id], participants: [env.asset!.issuer] },
    );
    return [withBalances(ctx.draft, event)];
  },
  parties: (op, lookup) => {
    const asset = lookup.assetOf(op.from);
    return [lookup.ownerOf(op.from), lookup.ownerOf(op.to), asset === undefined ? undefined : lookup.issuerOf(asset)];
  },
  accounts: (op) => [op.from, op.to],
  act: () => ({ act: 'force_transfer' }),
});
