import { Type } from 'typebox';
import { Delegates, KycExpiry, KYC_STATUSES, Keys, Roles, type Participant } from '../../entities/index.js';
import { defineEvent, type DomainEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { CountryCode, Id, literals, Name } from '../../schema.js';
import { hasRole, mustExist } from '../checks.js';
import { withBalances } from '../effects.js';

const Changes = Type.Object({
  legalName: Type.Optional(Name),
  jurisdiction: Type.Optional(CountryCode),
  roles: Type.Optional(Roles),
  kycStatus: Type.Optional(literals(KYC_STATUSES)),
  kycExpiresAtMs: Type.Optional(KycExpiry),
  keys: Type.Optional(Keys),
  delegates: Type.Optional(Delegates),
}, { additionalProperties: false, minProperties: 1 });

/** What compliance may change on its own; anything else needs the operator. */
const KYC_FIELDS: ReadonlySet<string> = new Set(['kycStatus', 'kycExpiresAtMs']);

export const participantUpdated = defineEvent('participant_updated', "a participant's details, roles, keys or delegates changed", Type.Object({
  participant: Id, fields: Type.Array(Type.String()),
}));

export const kycChanged = defineEvent('kyc_changed', "a participant's KYC status or expiry changed", Type.Object({
  participant: Id, kycStatus: literals(KYC_STATUSES), kycExpiresAtMs: KycExpiry,
}));

export const updateParticipant = operation({
  family: 'participants',
  summary: "change a participant's details, roles, KYC status, keys or delegates",
  schema: Type.Object({ type: Type.Literal('update_participant'), participant: Id, changes: Changes }, { additionalProperties: false }),
  initiators: ['operator', 'compliance'],
  consent: 'the operator; compliance for KYC status and expiry only',
  events: [participantUpdated, kycChanged],
  describe: (op) => `update ${op.participant}: ${Object.keys(op.changes).join(', ') || 'nothing'}`,
}).resolve((ctx, op) => ({
    current: ctx.draft.get('participants', op.participant),
    missingDelegate: (op.changes.delegates ?? []).find((delegate) => ctx.draft.get('participants', delegate) === undefined),
  })).define({
  checks: [
    mustExist('participant_not_found', 'participant', 'participant', (env) => env.current),
    { code: 'participant_not_found', field: 'changes.delegates', fails: (env) => env.missingDelegate !== undefined, explain: (env) => `no participant "${env.missingDelegate ?? ''}" to name as a delegate` },
    {
      code: 'not_authorized', field: 'changes',
      fails: (_env, op, ctx) => !hasRole(ctx.sender, 'operator') && Object.keys(op.changes).some((field) => !KYC_FIELDS.has(field)),
      explain: (_env, op) => `compliance may change only kycStatus and kycExpiresAtMs, not ${Object.keys(op.changes).filter((field) => !KYC_FIELDS.has(field)).join(', ')}`,
    },
  ],
  apply: (ctx, op, env) => {
    const current = env.current!;
    const { changes } = op;
    const next: Participant = {
      ...current,
      ...(changes.legalName !== undefined && { legalName: changes.legalName }),
      ...(changes.jurisdiction !== undefined && { jurisdiction: changes.jurisdiction }),
      ...(changes.roles !== undefined && { roles: [...changes.roles] }),
      ...(changes.kycStatus !== undefined && { kycStatus: changes.kycStatus }),
      ...(changes.kycExpiresAtMs !== undefined && { kycExpiresAtMs: changes.kycExpiresAtMs }),
      ...(changes.keys !== undefined && { keys: changes.keys.map((key) => ({ id: key.id, publicKey: key.publicKey })) }),
      ...(changes.delegates !== undefined && { delegates: [...changes.delegates] }),
    };
    ctx.draft.put('participants', next.id, next);
    const concerns = { participants: [next.id] };
    const events: DomainEvent[] = [participantUpdated.of({ participant: next.id, fields: Object.keys(changes).sort() }, concerns)];
    if (changes.kycStatus !== undefined || changes.kycExpiresAtMs !== undefined) events.push(kycChanged.of({ participant: next.id, kycStatus: next.kycStatus, kycExpiresAtMs: next.kycExpiresAtMs }, concerns));
    return events.map((event) => withBalances(ctx.draft, event));
  },
  parties: (op) => [op.participant],
  accounts: () => [],
  act: (op, env) => (op.changes.roles !== undefined && [...op.changes.roles].sort().join() !== [...env.current!.roles].sort().join() ? { act: 'change_roles' } : null),
});
