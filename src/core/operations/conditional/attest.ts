import { Type } from 'typebox';
import { operation } from '../../operation.js';
import { Hex32, Id } from '../../schema.js';
import { conditionalAttested, releaseDeferred, trancheReleased } from './events.js';
import { conditionalAccounts, conditionalExists, conditionalParties, notDisputed, releaseDue, resolveConditional, stillOpen, trancheExists, tranchePending, updateTranche } from './resolution.js';

/**
 * A registered attester (a participant with the attester role: a carrier, an inspector) attests a document a tranche waits for,
 * naming its SHA-256: the document stays off the ledger, its fingerprint is on it for good.
 */
export const attest = operation({
  family: 'conditional',
  summary: 'attest a document (by its SHA-256) that a tranche of a conditional payment waits for',
  schema: Type.Object({
    type: Type.Literal('attest'), payment: Id, tranche: Id, documentType: Id,
    documentHash: { ...Hex32, description: "the document's SHA-256, lower-case hex" },
  }, { additionalProperties: false }),
  initiators: ['attester'],
  consent: 'the attester the tranche names, as the sender',
  events: [conditionalAttested, trancheReleased, releaseDeferred],
  describe: (op) => `attest ${op.documentType} ${op.documentHash} for tranche ${op.tranche} of conditional payment ${op.payment}`,
}).resolve(resolveConditional).define({
  checks: [
    conditionalExists(),
    trancheExists(),
    {
      code: 'attestation_not_expected', field: 'documentType',
      fails: (env, op, ctx) => !env.tranche!.attestations.some((needed) => needed.attester === ctx.sender.id && needed.documentType === op.documentType),
      explain: (env, op, ctx) => `tranche ${env.tranche!.id} does not wait for ${op.documentType} from ${ctx.sender.id}`,
    },
    stillOpen(),
    notDisputed(),
    tranchePending(),
    {
      code: 'attestation_already_given', field: 'documentType',
      fails: (env, op, ctx) => env.tranche!.attested.some((given) => given.attester === ctx.sender.id && given.documentType === op.documentType),
      explain: (env, op, ctx) => `${ctx.sender.id} attested ${op.documentType} for tranche ${env.tranche!.id} already`,
    },
  ],
  apply: (ctx, op, env) => {
    const tranche = env.tranche!;
    updateTranche(ctx.draft, env.payment!, tranche.id, { attested: [...tranche.attested, { attester: ctx.sender.id, documentType: op.documentType, documentHash: op.documentHash }] });
    const event = conditionalAttested.of({ payment: op.payment, tranche: tranche.id, attester: ctx.sender.id, documentType: op.documentType, documentHash: op.documentHash }, { accounts: [env.payment!.payer, env.payment!.payee], participants: [ctx.sender.id] });
    return [{ event, balances: [] }, ...releaseDue(ctx.draft, op.payment, ctx.blockTimeMs)];
  },
  parties: (op, lookup) => conditionalParties(op.payment, lookup),
  accounts: (op, lookup) => conditionalAccounts(op.payment, lookup),
});
