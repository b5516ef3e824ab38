import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation, type OperationContext } from '../../operation.js';
import { Hex32, Id } from '../../schema.js';
import type { TradeAgreement } from '../../entities/index.js';
import { mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

export const agreementSigned = defineEvent('agreement_signed', 'a party signed a version of a trade agreement, by its hash; `concluded` once both have', Type.Object({
  agreement: Id, version: Type.Integer(), hash: Hex32, by: Id, buyer: Id, seller: Id, concluded: Type.Boolean(),
}));

/** The party signing: the buyer or the seller among the transaction's signers (the sender first). */
function signingParty(ctx: OperationContext, op: { buyer: string; seller: string }): string | undefined {
  if (ctx.sender.id === op.buyer || ctx.sender.id === op.seller) return ctx.sender.id;
  return [op.buyer, op.seller].find((party) => ctx.signers.has(party));
}

/** Whether the signature is for the agreement as it stands: its version, hash and parties. */
const sameTerms = (existing: TradeAgreement, op: { version: number; hash: string; buyer: string; seller: string }) =>
  existing.version === op.version && existing.hash === op.hash && existing.buyer === op.buyer && existing.seller === op.seller;

/**
 * A buyer or a seller signs a version of a trade agreement by the SHA-256 of its document.
 * The first signature records the version; the other party's, on the same hash, concludes
 * it. A later version (a renegotiation) replaces it and needs both signatures again; an
 * earlier one, or another hash for the same version, is refused.
 */
export const signAgreement = operation({
  family: 'trade',
  summary: 'sign a version of a trade agreement by the SHA-256 of its document (concluded once buyer and seller both have)',
  schema: Type.Object({
    type: Type.Literal('sign_agreement'), agreement: Id, version: Type.Integer({ minimum: 1, maximum: 1000 }),
    hash: { ...Hex32, description: "the agreement document's SHA-256 (RFC 8785 JSON), lower-case hex" }, buyer: Id, seller: Id,
  }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the buyer or the seller, each for itself',
  events: [agreementSigned],
  describe: (op) => `sign version ${op.version} of trade agreement ${op.agreement} (${op.hash}) between ${op.buyer} and ${op.seller}`,
}).resolve((ctx, op) => ({ existing: ctx.draft.get('trade_agreements', op.agreement), buyer: ctx.draft.get('participants', op.buyer), seller: ctx.draft.get('participants', op.seller) })).define({
  checks: [
    mustExist('participant_not_found', 'buyer', 'participant', (env) => env.buyer),
    mustExist('participant_not_found', 'seller', 'participant', (env) => env.seller),
    { code: 'invalid_agreement', field: 'seller', fails: (_env, op) => op.buyer === op.seller, explain: () => 'the buyer and the seller are the same participant' },
    { code: 'not_authorized', fails: (_env, op, ctx) => signingParty(ctx, op) === undefined, explain: (_env, op) => `only ${op.buyer} or ${op.seller} signs this agreement` },
    {
      code: 'agreement_mismatch', field: 'hash',
      fails: (env, op) => env.existing !== undefined && (env.existing.version > op.version || (env.existing.version === op.version && !sameTerms(env.existing, op))),
      explain: (env) => `version ${env.existing!.version} of ${env.existing!.id} stands with hash ${env.existing!.hash} between ${env.existing!.buyer} and ${env.existing!.seller}: sign that, or a later version`,
    },
    {
      code: 'agreement_already_signed', field: 'agreement',
      fails: (env, op, ctx) => env.existing !== undefined && sameTerms(env.existing, op) && env.existing.signedBy.includes(signingParty(ctx, op)!),
      explain: (env, op, ctx) => `${signingParty(ctx, op)} signed version ${env.existing!.version} of ${env.existing!.id} already`,
    },
  ],
  apply: (ctx, op, env) => {
    const by = signingParty(ctx, op)!;
    const current = env.existing !== undefined && sameTerms(env.existing, op) ? env.existing : undefined;
    const signedBy = [...(current?.signedBy ?? []), by].sort();
    const concluded = signedBy.includes(op.buyer) && signedBy.includes(op.seller);
    ctx.draft.put('trade_agreements', op.agreement, { id: op.agreement, version: op.version, hash: op.hash, buyer: op.buyer, seller: op.seller, signedBy, concludedAtMs: concluded ? ctx.blockTimeMs : null });
    return [withBalances(ctx.draft, agreementSigned.of({ agreement: op.agreement, version: op.version, hash: op.hash, by, buyer: op.buyer, seller: op.seller, concluded }, { participants: [op.buyer, op.seller] }))];
  },
  parties: (op) => [op.buyer, op.seller],
  accounts: () => [],
});
