import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { ApiError } from '../../node/api/errors.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import { readOffset } from '../kit/kit-tables.js';
import { CaseDesk } from './cases.js';
import { COMPLIANCE_EVENT_TYPES } from './event-types.js';
import { asApi } from './desk-errors.js';
import type { AlertRow, CaseNoteRow, CaseRow } from './tables.js';

const closed = { additionalProperties: false } as const;
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const NullableInt = Type.Union([Type.Integer(), Type.Null()]);
const Account = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });

const EvidencePayment = Type.Object({
  position: Type.String(), transaction: Nullable(Type.String()), from: Type.String(), to: Type.String(), asset: Type.String(), amount: Type.String(),
  decimals: Type.Integer(), currency: Type.String(), timeMs: Type.Integer(),
}, closed);
const AlertView = Type.Object({
  id: Type.String(), rule: Type.String(), subject: Type.String(), detail: Type.String(),
  evidence: Type.Object({ payments: Type.Array(EvidencePayment), path: Type.Optional(Type.Array(Type.String())) }, closed),
  position: Type.String(), blockTimeMs: Type.Integer(), raisedAtMs: Type.Integer(), status: Type.String(), caseId: Nullable(Type.String()),
}, closed);
const NoteView = Type.Object({ id: Type.String(), kind: Type.String(), author: Type.String(), text: Type.String(), fileName: Nullable(Type.String()), sha256: Nullable(Type.String()), atMs: Type.Integer() }, closed);
const CaseView = Type.Object({
  id: Type.String(), status: Type.String(), subject: Type.String(), assignee: Nullable(Type.String()), openedBy: Type.String(), openedAtMs: Type.Integer(),
  decidedBy: Nullable(Type.String()), decidedAtMs: NullableInt, decisionNote: Nullable(Type.String()),
  action: Type.Union([Type.Object({ freeze: Type.String() }, closed), Type.Null()]), actionStatus: Type.String(), actionTransaction: Nullable(Type.String()), actionProblem: Nullable(Type.String()),
}, closed);
const CaseDetail = Type.Object({ case: CaseView, alerts: Type.Array(AlertView), notes: Type.Array(NoteView) }, closed);

export const alertView = (row: AlertRow): Static<typeof AlertView> => ({
  id: row.id, rule: row.rule, subject: row.subject, detail: row.detail, evidence: JSON.parse(row.evidence) as Static<typeof AlertView>['evidence'],
  position: row.position, blockTimeMs: Number(row.block_time_ms), raisedAtMs: Number(row.raised_at_ms), status: row.status, caseId: row.case_id,
});
const noteView = (row: CaseNoteRow): Static<typeof NoteView> => ({ id: row.id, kind: row.kind, author: row.author, text: row.text, fileName: row.file_name, sha256: row.sha256, atMs: Number(row.at_ms) });
const caseView = (row: CaseRow): Static<typeof CaseView> => ({
  id: row.id, status: row.status, subject: row.subject, assignee: row.assignee, openedBy: row.opened_by, openedAtMs: Number(row.opened_at_ms),
  decidedBy: row.decided_by, decidedAtMs: row.decided_at_ms === null ? null : Number(row.decided_at_ms), decisionNote: row.decision_note,
  action: row.action === null ? null : JSON.parse(row.action) as { freeze: string }, actionStatus: row.action_status, actionTransaction: row.action_transaction, actionProblem: row.action_problem,
});


/**
 * Alerts and cases: those who see every participant read them; compliance officers work
 * them (open, note, assign, escalate, decide).
 */
export async function caseRoutes(app: FastifyInstance, services: ModuleServices, callerOf: (request: FastifyRequest) => Caller): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const desk = new CaseDesk(services.db, services.nowMs);
  const { db } = services;
  const reader = (request: FastifyRequest): Caller => {
    const caller = callerOf(request);
    if (!caller.seesAll) throw new LedgerError('forbidden', `${caller.participant} may not see alerts and cases`);
    return caller;
  };
  const officer = (request: FastifyRequest): Caller => {
    const caller = callerOf(request);
    if (!caller.roles.includes('compliance')) throw new LedgerError('forbidden', `${caller.participant} is not a compliance officer`);
    return caller;
  };

  typed.get('/alerts', {
    schema: {
      summary: 'Alerts raised by transaction monitoring, newest first, with their evidence',
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('in_case')])), rule: Type.Optional(Text(40)), subject: Type.Optional(Account), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, closed),
      response: { 200: Type.Object({ data: Type.Array(AlertView), has_more: Type.Boolean() }, closed) },
    },
  }, async (request) => {
    reader(request);
    const { status, rule, subject } = request.query;
    const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
    let query = db.selectFrom('compliance_alerts').selectAll();
    if (status !== undefined) query = query.where('status', '=', status);
    if (rule !== undefined) query = query.where('rule', '=', rule);
    if (subject !== undefined) query = query.where('subject', '=', subject);
    const rows = await query.orderBy('raised_at_ms', 'desc').orderBy('id').limit(limit + 1).execute() as AlertRow[];
    return { data: rows.slice(0, limit).map(alertView), has_more: rows.length > limit };
  });

  typed.get('/monitoring', {
    schema: {
      summary: "The monitor's state: payments within its windows, the latest it has seen, alerts by status",
      response: {
        200: Type.Object({
          payments: Type.Integer(), latest: Type.Union([Type.Object({ position: Type.String(), timeMs: Type.Integer() }, closed), Type.Null()]), openAlerts: Type.Integer(), alertsInCases: Type.Integer(),
          followedTo: Type.Union([Type.String(), Type.Null()], { description: "the module's place in the event feed: every event of its types up to here is handled" }), eventTypes: Type.Array(Type.String()),
        }, closed),
      },
    },
  }, async (request) => {
    reader(request);
    const count = async (table: 'compliance_payments' | 'compliance_alerts', status?: string) => {
      let query = db.selectFrom(table).select((eb) => eb.fn.countAll().as('n'));
      if (status !== undefined) query = query.where('status', '=', status);
      return Number(((await query.executeTakeFirst()) as { n: number | string | bigint }).n);
    };
    const latest = await db.selectFrom('compliance_payments').select(['position', 'time_ms']).orderBy('time_ms', 'desc').limit(1).executeTakeFirst() as { position: string; time_ms: number | string } | undefined;
    return {
      payments: await count('compliance_payments'), latest: latest === undefined ? null : { position: latest.position, timeMs: Number(latest.time_ms) },
      openAlerts: await count('compliance_alerts', 'open'), alertsInCases: await count('compliance_alerts', 'in_case'),
      followedTo: (await readOffset(db, services.name)).position, eventTypes: [...COMPLIANCE_EVENT_TYPES],
    };
  });

  typed.post('/cases', {
    schema: {
      summary: 'Open a case on open alerts: named, or every open alert involving an account',
      body: Type.Object({
        id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: "the case's id, as the bank numbers its cases (a UUID when absent)" })),
        alerts: Type.Optional(Type.Array(Text(64), { minItems: 1, maxItems: 100, uniqueItems: true })),
        involving: Type.Optional(Account),
        assignee: Type.Optional(Text(64)), note: Type.Optional(Text(2000)),
      }, closed),
      response: { 200: CaseView },
    },
  }, async (request) => {
    const caller = officer(request);
    const { id, alerts, involving, assignee, note } = request.body;
    if ((alerts === undefined) === (involving === undefined)) throw new LedgerError('invalid_request', 'name the alerts, or the account they involve (one of them)', 'alerts');
    const chosen = alerts ?? await desk.openAlertsInvolving(involving!);
    return caseView(await asApi(() => desk.open(id, chosen, caller.participant, assignee, note)));
  });

  typed.get('/cases', {
    schema: {
      summary: 'Cases, newest first',
      querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('escalated'), Type.Literal('closed_false_positive'), Type.Literal('confirmed')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, closed),
      response: { 200: Type.Object({ data: Type.Array(CaseView), has_more: Type.Boolean() }, closed) },
    },
  }, async (request) => {
    reader(request);
    const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
    let query = db.selectFrom('compliance_cases').selectAll();
    if (request.query.status !== undefined) query = query.where('status', '=', request.query.status);
    const rows = await query.orderBy('opened_at_ms', 'desc').orderBy('id').limit(limit + 1).execute() as CaseRow[];
    return { data: rows.slice(0, limit).map(caseView), has_more: rows.length > limit };
  });

  typed.get('/cases/:id', {
    schema: { summary: 'A case with its alerts and its notes', params: Type.Object({ id: Text(64) }, closed), response: { 200: CaseDetail } },
  }, async (request) => {
    reader(request);
    const row = await desk.get(request.params.id);
    if (row === undefined) throw new ApiError('resource_not_found', `no case ${request.params.id}`);
    const alerts = await db.selectFrom('compliance_alerts').selectAll().where('case_id', '=', row.id).orderBy('raised_at_ms').execute() as AlertRow[];
    const notes = await db.selectFrom('compliance_case_notes').selectAll().where('case_id', '=', row.id).orderBy('at_ms').orderBy('id').execute() as CaseNoteRow[];
    return { case: caseView(row), alerts: alerts.map(alertView), notes: notes.map(noteView) };
  });

  typed.post('/cases/:id/notes', {
    schema: {
      summary: 'Work a case: a comment, an attachment (name and SHA-256 of a document kept in the bank\'s records), an assignment, an escalation',
      params: Type.Object({ id: Text(64) }, closed),
      body: Type.Union([
        Type.Object({ kind: Type.Literal('comment'), text: Text(4000) }, closed),
        Type.Object({ kind: Type.Literal('attachment'), text: Text(4000), fileName: Text(255), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }, closed),
        Type.Object({ kind: Type.Literal('assignment'), text: Text(4000), assignee: Text(64) }, closed),
        Type.Object({ kind: Type.Literal('escalation'), text: Text(4000) }, closed),
      ]),
      response: { 200: NoteView },
    },
  }, async (request) => {
    const caller = officer(request);
    const body = request.body;
    const extra = { ...('fileName' in body && { fileName: body.fileName, sha256: body.sha256 }), ...('assignee' in body && { assignee: body.assignee }) };
    return noteView(await asApi(() => desk.note(request.params.id, caller.participant, body.kind, body.text, extra)));
  });

  typed.post('/cases/:id/decision', {
    schema: {
      summary: 'Decide a case, once: a false positive, or confirmed (and, if asked, the account frozen on the ledger by the compliance identity)',
      params: Type.Object({ id: Text(64) }, closed),
      body: Type.Object({ decision: Type.Union([Type.Literal('false_positive'), Type.Literal('confirmed')]), note: Text(4000), action: Type.Optional(Type.Object({ freeze: Account }, closed)) }, closed),
      response: { 200: CaseView },
    },
  }, async (request) => {
    const caller = officer(request);
    return caseView(await asApi(() => desk.decide(request.params.id, caller.participant, request.body.decision, request.body.note, request.body.action)));
  });
}
