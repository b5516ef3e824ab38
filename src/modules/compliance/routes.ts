import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { ApiError } from '../../node/api/errors.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import type { ListBook } from './book.js';
import { caseRoutes } from './case-routes.js';
import { reportRoutes } from './report-routes.js';
import { travelRuleRoutes } from './travel-rule-routes.js';
import type { ReportDesk } from './reports/filing.js';
import { outcomeOf } from './screening/outcome.js';
import type { ScreeningQuery } from './screening/screener.js';
import type { ScreeningRow } from './tables.js';

const closed = { additionalProperties: false } as const;
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

const ScreenBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 350, description: 'the name to screen, in any script' }),
  type: Type.Optional(Type.Union([Type.Literal('person'), Type.Literal('entity')])),
  dateOfBirth: Type.Optional(Text(32)),
  nationality: Type.Optional(Text(64)),
  documentNumbers: Type.Optional(Type.Array(Text(64), { maxItems: 16 })),
  digitalCurrencyAddresses: Type.Optional(Type.Array(Text(128), { maxItems: 16 })),
}, closed);

const Pair = Type.Object({ query: Type.String(), listed: Type.String(), similarity: Type.Number(), how: Type.String() }, closed);
const HitView = Type.Object({
  list: Type.String(), listVersion: Type.String(), entryId: Type.String(), entryType: Type.String(), programs: Type.Array(Type.String()),
  matchedName: Type.String(), nameKind: Type.String(), score: Type.Number(), decision: Type.String(), reasons: Type.Array(Type.String()),
  tokens: Type.Array(Pair), unmatched: Type.Object({ query: Type.Array(Type.String()), listed: Type.Array(Type.String()) }, closed),
  fields: Type.Array(Type.Object({ field: Type.String(), effect: Type.Union([Type.Number(), Type.Literal('decisive')]), detail: Type.String() }, closed)),
}, closed);
const ListView = Type.Object({ source: Type.String(), version: Type.String(), entries: Type.Integer() }, closed);
const ScreenResult = Type.Object({ name: Type.String(), outcome: Type.String(), lists: Type.Array(ListView), hits: Type.Array(HitView) }, closed);
const ScreeningView = Type.Object({
  id: Type.String(), participant: Type.String(), legalName: Type.String(), cause: Type.String(), outcome: Type.String(),
  hits: Type.Array(HitView), lists: Type.Array(ListView), screenedAtMs: Type.Integer(),
  decision: Type.Union([Type.Literal('cleared'), Type.Literal('confirmed'), Type.Null()]), decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAtMs: Type.Union([Type.Integer(), Type.Null()]), note: Type.Union([Type.String(), Type.Null()]),
}, closed);

const screeningView = (row: ScreeningRow): Static<typeof ScreeningView> => ({
  id: row.id, participant: row.participant, legalName: row.legal_name, cause: row.cause, outcome: row.outcome,
  hits: JSON.parse(row.hits) as Static<typeof HitView>[], lists: JSON.parse(row.list_versions) as Static<typeof ListView>[], screenedAtMs: Number(row.screened_at_ms),
  decision: row.decision, decidedBy: row.decided_by, decidedAtMs: row.decided_at_ms === null ? null : Number(row.decided_at_ms), note: row.note,
});

/**
 * The compliance module's routes. Screening and its records are for those who see every
 * participant (the operator, compliance officers, auditors and readers): a client may not
 * probe what the bank knows of whom.
 */
export function complianceRoutes(services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, book: ListBook, reports: ReportDesk | undefined): FastifyPluginAsyncTypebox {
  const guard = (request: FastifyRequest): Caller => {
    const caller = callerOf(request);
    if (!caller.seesAll) throw new LedgerError('forbidden', `${caller.participant} may not screen names: compliance, the operator and auditors may`);
    return caller;
  };

  const officer = (request: FastifyRequest): Caller => {
    const caller = callerOf(request);
    if (!caller.roles.includes('compliance')) throw new LedgerError('forbidden', `${caller.participant} is not a compliance officer`);
    return caller;
  };

  return async (app) => {
    await caseRoutes(app, services, callerOf);
    await reportRoutes(app, services, callerOf, reports);
    await travelRuleRoutes(app, services, callerOf, book);

    app.post('/screenings/:id/decision', {
      schema: {
        summary: "Decide a screening's hits: cleared (false hits: the participant may then join or be approved under this name) or confirmed; once",
        params: Type.Object({ id: Text(64) }, closed),
        body: Type.Object({ decision: Type.Union([Type.Literal('cleared'), Type.Literal('confirmed')]), note: Text(500) }, closed),
        response: { 200: ScreeningView },
      },
    }, async (request) => {
      const caller = officer(request);
      const row = await services.db.selectFrom('compliance_screenings').selectAll().where('id', '=', request.params.id).executeTakeFirst() as ScreeningRow | undefined;
      if (row === undefined) throw new ApiError('resource_not_found', `no screening ${request.params.id}`);
      if (row.outcome === 'clear') throw new LedgerError('invalid_request', `screening ${row.id} has no hit to decide`, 'id');
      if (row.decision !== null) throw new LedgerError('invalid_request', `screening ${row.id} was already decided: ${row.decision} by ${row.decided_by ?? ''}`, 'id');
      const decided = { decision: request.body.decision, decided_by: caller.participant, decided_at_ms: services.nowMs(), note: request.body.note };
      await services.db.updateTable('compliance_screenings').set(decided).where('id', '=', row.id).where('decision', 'is', null).execute();
      return screeningView({ ...row, ...decided });
    });

    app.post('/screen', {
      schema: { summary: 'Screen a name against the sanctions lists: hits with list, entry, matched name, score, decision and reasons', body: ScreenBody, response: { 200: ScreenResult } },
    }, async (request) => {
      guard(request);
      const hits = book.screener.screen(request.body as ScreeningQuery);
      return { name: request.body.name, outcome: outcomeOf(hits), lists: book.versions(), hits: hits as unknown as Static<typeof HitView>[] };
    });

    app.get('/screenings', {
      schema: {
        summary: 'Screenings of participants, newest first: at registration, on change, on list updates',
        querystring: Type.Object({ participant: Type.Optional(Text(64)), outcome: Type.Optional(Type.Union([Type.Literal('block'), Type.Literal('review'), Type.Literal('clear')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, closed),
        response: { 200: Type.Object({ data: Type.Array(ScreeningView), has_more: Type.Boolean() }, closed) },
      },
    }, async (request) => {
      guard(request);
      const { participant, outcome } = request.query;
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      let query = services.db.selectFrom('compliance_screenings').selectAll();
      if (participant !== undefined) query = query.where('participant', '=', participant);
      if (outcome !== undefined) query = query.where('outcome', '=', outcome);
      const rows = await query.orderBy('screened_at_ms', 'desc').orderBy('id').limit(limit + 1).execute() as ScreeningRow[];
      return { data: rows.slice(0, limit).map(screeningView), has_more: rows.length > limit };
    });
  };
}
