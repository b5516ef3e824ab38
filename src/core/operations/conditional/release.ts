import { Type } from 'typebox';
import { addChecked } from '../../amount.js';
import { missingAttestations, trancheConsented } from '../../entities/index.js';
import { operation } from '../../operation.js';
import { Id } from '../../schema.js';
import { actsFor, movementChecks } from '../checks.js';
import { trancheReleased } from './events.js';
import { conditionalAccounts, conditionalExists, conditionalParties, notDisputed, payTranche, resolveConditional, stillOpen, trancheExists, tranchePending } from './resolution.js';

/** Pays a tranche whose conditions hold, on the word of either party (the conditions, not the caller, decide). */
export const releaseConditional = operation({
  family: 'conditional',
  summary: 'pay a tranche of a conditional payment whose conditions all hold',
  schema: Type.Object({ type: Type.Literal('release_conditional'), payment: Id, tranche: Id }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: "the payer's or the payee's owner (or a delegate)",
  events: [trancheReleased],
  describe: (op) => `release tranche ${op.tranche} of conditional payment ${op.payment}`,
}).resolve(resolveConditional).define({
  checks: [
    conditionalExists(),
    trancheExists(),
    { code: 'not_authorized', fails: (env, _op, ctx) => !actsFor(ctx, env.payer!.owner) && !actsFor(ctx, env.payee!.owner), explain: (env) => `only the payer (${env.payer!.owner}) or the payee (${env.payee!.owner}) may release conditional payment ${env.payment!.id}` },
    movementChecks((env) => [env.payer!, env.payee!], (env) => env.asset!),
    stillOpen(),
    notDisputed(),
    tranchePending(),
    {
      code: 'conditions_not_met', field: 'tranche',
      fails: (env, _op, ctx) => !trancheConsented(env.tranche!) || (env.tranche!.notBeforeMs !== null && env.tranche!.notBeforeMs > ctx.blockTimeMs),
      explain: (env, _op, ctx) => {
        const t = env.tranche!;
        const parts = [
          ...(t.approvals.length < t.approvalsRequired ? [`${t.approvals.length} of ${t.approvalsRequired} approvals`] : []),
          ...missingAttestations(t).map((needed) => `${needed.documentType} from ${needed.attester} not attested`),
          // Formats a time the tranche carries; no clock is read.
          // eslint-disable-next-line no-restricted-globals
          ...(t.notBeforeMs !== null && t.notBeforeMs > ctx.blockTimeMs ? [`time-locked until ${new Date(t.notBeforeMs).toISOString()}`] : []),
        ];
        return `tranche ${t.id} is not releasable: ${parts.join('; ')}`;
      },
    },
    { code: 'amount_overflow', fails: (env) => addChecked(env.payee!.availableMinor, env.tranche!.amountMinor) === null, explain: (env) => `${env.payee!.id}'s balance would pass the ledger's ceiling` },
  ],
  apply: (ctx, _op, env) => [payTranche(ctx.draft, env.payment!, env.tranche!)],
  parties: (op, lookup) => conditionalParties(op.payment, lookup),
  accounts: (op, lookup) => conditionalAccounts(op.payment, lookup),
});
