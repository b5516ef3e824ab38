import { Type } from 'typebox';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Id, literals } from '../../schema.js';
import { ROLES } from '../../roles.js';
import { KYC_STATUSES } from '../../entities/index.js';
import { mustBeNew } from '../checks.js';
import { withBalances } from '../effects.js';
import { participantFromSpec, ParticipantSpec } from './spec.js';

export const participantRegistered = defineEvent('participant_registered', 'a participant joined the network', Type.Object({
  participant: Id, roles: Type.Array(literals(ROLES)), kycStatus: literals(KYC_STATUSES),
}));

export const registerParticipant = operation({
  family: 'participants',
  summary: 'register an institution with its roles, KYC status and keys',
  schema: Type.Object({ type: Type.Literal('register_participant'), participant: ParticipantSpec }, { additionalProperties: false }),
  initiators: ['operator'],
  consent: 'the operator',
  events: [participantRegistered],
  describe: (op) => `register ${op.participant.id} (${op.participant.legalName}) as ${op.participant.roles.join(', ')}, KYC ${op.participant.kycStatus}`,
}).resolve((ctx, op) => ({
    existing: ctx.draft.get('participants', op.participant.id),
    missingDelegate: (op.participant.delegates ?? []).find((delegate) => ctx.draft.get('participants', delegate) === undefined),
  })).define({
  checks: [
    { code: 'participant_not_found', field: 'participant.delegates', fails: (env) => env.missingDelegate !== undefined, explain: (env) => `no participant "${env.missingDelegate ?? ''}" to name as a delegate` },
    mustBeNew('participant.id', 'participant', (env) => env.existing),
  ],
  apply: (ctx, op) => {
    const participant = participantFromSpec(op.participant);
    ctx.draft.put('participants', participant.id, participant);
    const event = participantRegistered.of({ participant: participant.id, roles: [...participant.roles], kycStatus: participant.kycStatus }, { participants: [participant.id] });
    return [withBalances(ctx.draft, event)];
  },
  parties: (op) => [op.participant.id],
  accounts: () => [],
});
