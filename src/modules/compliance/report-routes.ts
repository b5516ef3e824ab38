import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { ApiError } from '../../node/api/errors.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import { asApi } from './desk-errors.js';
import type { ReportDesk } from './reports/filing.js';
import type { ReportRow } from './tables.js';

const closed = { additionalProperties: false } as const;
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const ReportView = Type.Object({
  id: Type.String(), kind: Type.String(), format: Type.String(), covers: Type.String(), caseId: Nullable(Type.String()), reason: Nullable(Type.String()), action: Nullable(Type.String()),
  requestedBy: Type.String(), requestedAtMs: Type.Integer(), sha256: Nullable(Type.String()), status: Type.String(), transaction: Nullable(Type.String()),
  filedAtMs: Type.Union([Type.Integer(), Type.Null()]), problem: Nullable(Type.String()),
}, closed);
const ReportDetail = Type.Object({ report: ReportView, document: Nullable(Type.String()) }, closed);

const reportView = (row: ReportRow): Static<typeof ReportView> => ({
  id: row.id, kind: row.kind, format: row.format, covers: row.covers, caseId: row.case_id, reason: row.reason, action: row.action, requestedBy: row.requested_by,
  requestedAtMs: Number(row.requested_at_ms), sha256: row.sha256, status: row.status, transaction: row.transaction_hash, filedAtMs: row.filed_at_ms === null ? null : Number(row.filed_at_ms), problem: row.problem,
});


/** Reports: compliance officers request them; those who see every participant read them, documents included. */
export async function reportRoutes(app: FastifyInstance, services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, desk: ReportDesk | undefined): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const officer = (request: FastifyRequest): { caller: Caller; desk: ReportDesk } => {
    const caller = callerOf(request);
    if (!caller.roles.includes('compliance')) throw new LedgerError('forbidden', `${caller.participant} is not a compliance officer`);
    if (desk === undefined) throw new LedgerError('invalid_request', 'this compliance module has no reporting settings (who reports to which FIU): see docs/compliance.md');
    return { caller, desk };
  };
  const reader = (request: FastifyRequest): void => {
    const caller = callerOf(request);
    if (!caller.seesAll) throw new LedgerError('forbidden', `${caller.participant} may not see reports`);
  };

  typed.post('/cases/:id/report', {
    schema: {
      summary: 'File a suspicious transaction report (goAML XML) on a confirmed case: built from its alerts\' payments and filed on the ledger by its hash',
      params: Type.Object({ id: Text(64) }, closed), body: Type.Object({ reason: Text(4000), action: Text(4000) }, closed), response: { 200: ReportView },
    },
  }, async (request) => {
    const { caller, desk: reports } = officer(request);
    return reportView(await asApi(() => reports.requestStr(request.params.id, caller.participant, request.body.reason, request.body.action)));
  });

  typed.post('/reports/threshold', {
    schema: {
      summary: "File a day's threshold report (CSV of every payment at or above its currency's threshold); yesterday's is filed by itself",
      body: Type.Object({ day: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }) }, closed), response: { 200: ReportView },
    },
  }, async (request) => {
    const { caller, desk: reports } = officer(request);
    if (Number.isNaN(Date.parse(`${request.body.day}T00:00:00Z`))) throw new LedgerError('invalid_request', `${request.body.day} is not a date`, 'day');
    return reportView(await asApi(() => reports.requestThreshold(request.body.day, caller.participant)));
  });

  typed.get('/reports', {
    schema: {
      summary: 'Reports, newest first', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, closed),
      response: { 200: Type.Object({ data: Type.Array(ReportView), has_more: Type.Boolean() }, closed) },
    },
  }, async (request) => {
    reader(request);
    const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
    const rows = await services.db.selectFrom('compliance_reports').selectAll().orderBy('requested_at_ms', 'desc').orderBy('id').limit(limit + 1).execute() as ReportRow[];
    return { data: rows.slice(0, limit).map(reportView), has_more: rows.length > limit };
  });

  typed.get('/reports/:id', {
    schema: { summary: 'A report and the document as filed', params: Type.Object({ id: Text(64) }, closed), response: { 200: ReportDetail } },
  }, async (request) => {
    reader(request);
    const row = await services.db.selectFrom('compliance_reports').selectAll().where('id', '=', request.params.id).executeTakeFirst() as ReportRow | undefined;
    if (row === undefined) throw new ApiError('resource_not_found', `no report ${request.params.id}`);
    return { report: reportView(row), document: row.document };
  });
}
