import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../node/api/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import { asApi } from './desk-errors.js';
import type { ListBook } from './book.js';
import { TravelRuleDesk } from './travel-rule.js';

const closed = { additionalProperties: false } as const;
const Hash = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Nullable = Type.Union([Type.String(), Type.Null()]);

/**
 * Travel Rule data: any participant sends it (the payer's institution, before its
 * payment); it is shown to whoever sent it, to the payer's and the payee's institutions
 * once a payment naming it is admitted, and to compliance and auditors. To anyone else
 * (readers and the operator's other services included) it does not exist.
 */
export async function travelRuleRoutes(app: FastifyInstance, services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, book: ListBook): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const desk = new TravelRuleDesk(services.db, services.nowMs, book);

  typed.post('/travel-rule', {
    schema: {
      summary: "Send a payment's originator and beneficiary data (IVMS101.2023, validated); its SHA-256 is what the payment carries in travelRule",
      body: Type.Object({ payload: Type.Object({}, { additionalProperties: true, description: 'IVMS101.2023: originator, beneficiary, payloadMetadata…' }) }, closed),
      response: { 200: Type.Object({ hash: Hash, originatorAccount: Type.String(), beneficiaryAccount: Type.String() }, closed) },
    },
  }, async (request) => asApi(() => desk.submit(request.body.payload, callerOf(request).participant)));

  typed.get('/travel-rule/:hash', {
    schema: {
      summary: 'Travel Rule data, for the two institutions and compliance',
      params: Type.Object({ hash: Hash }, closed),
      response: {
        200: Type.Object({
          hash: Hash, payload: Type.Unknown(), originatorAccount: Type.String(), beneficiaryAccount: Type.String(), submittedBy: Type.String(), submittedAtMs: Type.Integer(),
          originator: Nullable, beneficiary: Nullable,
        }, closed),
      },
    },
  }, async (request) => {
    const caller = callerOf(request);
    const row = await desk.get(request.params.hash);
    const oversees = caller.roles.includes('compliance') || caller.roles.includes('auditor');
    const sees = row !== undefined && (oversees || [row.submitted_by, row.originator_participant, row.beneficiary_participant].includes(caller.participant));
    if (row === undefined || !sees) throw new ApiError('resource_not_found', `no Travel Rule data ${request.params.hash} that ${caller.participant} may see`);
    return {
      hash: row.hash, payload: JSON.parse(row.payload) as unknown, originatorAccount: row.originator_account, beneficiaryAccount: row.beneficiary_account,
      submittedBy: row.submitted_by, submittedAtMs: Number(row.submitted_at_ms), originator: row.originator_participant, beneficiary: row.beneficiary_participant,
    };
  });
}
