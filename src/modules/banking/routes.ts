import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { ApiError } from '../../node/api/errors.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import type { BankingSettings } from './settings.js';
import { randomUUID } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import { type BreakRow, type CreditRow, type LinkRow, type PayoutRow, type RequestRow, type StatementEntryRow, type StatementRow } from './tables.js';

const closed = { additionalProperties: false } as const;
const BankAccount = Type.String({ minLength: 1, maxLength: 34, pattern: '^[A-Za-z0-9][A-Za-z0-9/._-]*$', description: "the client's account at the bank: an IBAN or the bank's own number" });
const TokenAccount = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
/** The account holder as its bank knows it: what a payout to the account must carry (CBPR+: a structured address). */
const Holder = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 140 }), town: Type.String({ minLength: 1, maxLength: 35 }), country: Type.String({ pattern: '^[A-Z]{2}$' }),
  agentBic: Type.String({ pattern: '^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$', description: "the BIC of the holder's bank" }),
}, closed);
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX }));

const LinkView = Type.Object({ bankAccount: Type.String(), tokenAccount: Type.String(), linkedBy: Type.String(), linkedAtMs: Type.Integer(), holder: Type.Union([Holder, Type.Null()]) }, closed);
const CreditView = Type.Object({
  entry: Type.String(), messageId: Type.String(), bankAccount: Type.Union([Type.String(), Type.Null()]), sender: Type.Union([Type.String(), Type.Null()]),
  amount: Type.String(), currency: Type.String(), endToEndId: Type.Union([Type.String(), Type.Null()]), bookingDate: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(), reason: Type.Union([Type.String(), Type.Null()]), detail: Type.Union([Type.String(), Type.Null()]),
  tokenAccount: Type.Union([Type.String(), Type.Null()]), transactionId: Type.Union([Type.String(), Type.Null()]), receivedAtMs: Type.Integer(),
}, closed);
const Nullable = Type.Union([Type.String(), Type.Null()]);
const PayoutView = Type.Object({
  position: Type.String(), transaction: Nullable, account: Type.String(), asset: Type.String(), amount: Type.String(), payoutReference: Type.String(), status: Type.String(), recordedAtMs: Type.Integer(),
  messageId: Nullable, endToEndId: Nullable, problem: Nullable, bankStatus: Nullable, returnTransaction: Nullable,
}, closed);
const StatementView = Type.Object({
  statement: Type.String(), messageId: Type.String(), messageType: Type.String(), hash: Type.String(), fromMs: Type.Union([Type.Integer(), Type.Null()]), cutoffMs: Type.Integer(),
  currency: Type.String(), openingBalance: Nullable, closingBalance: Type.String(), entries: Type.Integer(), receivedAtMs: Type.Integer(),
  supply: Nullable, creditsInTransit: Nullable, payoutsInTransit: Nullable, unexplained: Nullable, breaks: Type.Union([Type.Integer(), Type.Null()]),
  reconciled: Type.Boolean(), reconciledAtMs: Type.Union([Type.Integer(), Type.Null()]), attestation: Nullable, attestationProblem: Nullable,
}, closed);
const BreakView = Type.Object({
  id: Type.String(), statement: Type.String(), kind: Type.String(), subject: Type.String(), amount: Nullable, detail: Type.String(), raisedAtMs: Type.Integer(), ageMs: Type.Integer(),
  status: Type.String(), resolvedBy: Nullable, resolutionNote: Nullable, resolvedAtMs: Type.Union([Type.Integer(), Type.Null()]),
}, closed);
const EntryView = Type.Object({ n: Type.Integer(), entry: Nullable, side: Type.String(), amount: Type.String(), bookingDate: Nullable, endToEndId: Nullable, matched: Type.Boolean() }, closed);
const RequestView = Type.Object({
  id: Type.String(), kind: Type.String(), subject: Nullable, reason: Nullable, note: Nullable, requestedBy: Type.String(), requestedAtMs: Type.Integer(),
  status: Type.String(), outcome: Type.Unknown(), doneAtMs: Type.Union([Type.Integer(), Type.Null()]),
}, closed);
const Note = Type.String({ minLength: 1, maxLength: 500 });
const RequestBody = Type.Union([
  Type.Object({ kind: Type.Literal('reconcile'), statement: Type.Optional(Type.String({ minLength: 1, maxLength: 35, description: 'the latest statement when absent' })) }, closed),
  Type.Object({ kind: Type.Literal('retry_credit'), entry: Type.String({ minLength: 1, maxLength: 200, description: 'a credit in suspense, once its account is linked or the allowance raised' }) }, closed),
  Type.Object({
    kind: Type.Literal('return_credit'), entry: Type.String({ minLength: 1, maxLength: 200 }),
    reason: Type.String({ pattern: '^[A-Z0-9]{4}$', description: 'an ISO 20022 return reason: AC01, AC04, AG01, AM09, CURR, FOCR, …' }), note: Type.Optional(Type.String({ minLength: 1, maxLength: 105 })),
  }, closed),
]);

const Page = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ data: Type.Array(item), has_more: Type.Boolean() }, closed);

const linkView = (row: LinkRow) => ({
  bankAccount: row.bank_account, tokenAccount: row.token_account, linkedBy: row.linked_by, linkedAtMs: Number(row.linked_at_ms),
  holder: row.holder_name === null ? null : { name: row.holder_name, town: row.holder_town ?? '', country: row.holder_country ?? '', agentBic: row.holder_agent_bic ?? '' },
});
const creditView = (row: CreditRow) => ({
  entry: row.entry_key, messageId: row.message_id, bankAccount: row.bank_account, sender: row.sender_name, amount: row.amount, currency: row.currency,
  endToEndId: row.end_to_end_id, bookingDate: row.booking_date, status: row.status, reason: row.reason, detail: row.detail,
  tokenAccount: row.token_account, transactionId: row.transaction_id, receivedAtMs: Number(row.received_at_ms),
});
const payoutView = (row: PayoutRow) => ({
  position: row.position, transaction: row.transaction_hash, account: row.account, asset: row.asset, amount: row.amount, payoutReference: row.payout_reference, status: row.status, recordedAtMs: Number(row.recorded_at_ms),
  messageId: row.message_id, endToEndId: row.end_to_end_id, problem: row.problem, bankStatus: row.bank_status, returnTransaction: row.return_transaction_id,
});

const statementView = (row: StatementRow) => ({
  statement: row.statement_id, messageId: row.message_id, messageType: row.message_type, hash: row.hash, fromMs: row.from_ms === null ? null : Number(row.from_ms), cutoffMs: Number(row.cutoff_ms),
  currency: row.currency, openingBalance: row.opening_balance, closingBalance: row.closing_balance, entries: row.entries, receivedAtMs: Number(row.received_at_ms),
  supply: row.supply, creditsInTransit: row.credits_in_transit, payoutsInTransit: row.payouts_in_transit, unexplained: row.unexplained, breaks: row.breaks,
  reconciled: row.breaks === 0 && row.attestation_problem === null, reconciledAtMs: row.reconciled_at_ms === null ? null : Number(row.reconciled_at_ms),
  attestation: row.attestation_id, attestationProblem: row.attestation_problem,
});
const breakView = (row: BreakRow, nowMs: number) => ({
  id: row.id, statement: row.statement_id, kind: row.kind, subject: row.subject, amount: row.amount, detail: row.detail, raisedAtMs: Number(row.raised_at_ms),
  ageMs: (row.resolved_at_ms === null ? nowMs : Number(row.resolved_at_ms)) - Number(row.raised_at_ms),
  status: row.status, resolvedBy: row.resolved_by, resolutionNote: row.resolution_note, resolvedAtMs: row.resolved_at_ms === null ? null : Number(row.resolved_at_ms),
});
const entryView = (row: StatementEntryRow) => ({ n: row.n, entry: row.entry_key, side: row.credit_debit, amount: row.amount, bookingDate: row.booking_date, endToEndId: row.end_to_end_id, matched: Number(row.settled) === 1 });
const requestView = (row: RequestRow) => ({
  id: row.id, kind: row.kind, subject: row.subject, reason: row.reason, note: row.note, requestedBy: row.requested_by, requestedAtMs: Number(row.requested_at_ms),
  status: row.status, outcome: row.outcome === null ? null : JSON.parse(row.outcome) as unknown, doneAtMs: row.done_at_ms === null ? null : Number(row.done_at_ms),
});

/** The daily reconciliation report as CSV: one line per booked entry, then one per break. */
function reportCsv(statement: StatementRow, entries: readonly StatementEntryRow[], breaks: readonly BreakRow[]): string {
  const rows: (string | number | null)[][] = [['record', 'statement', 'entry', 'side', 'amount', 'booking_date', 'end_to_end_id', 'status', 'kind', 'detail']];
  for (const e of entries) rows.push(['entry', statement.statement_id, e.entry_key, e.credit_debit, e.amount, e.booking_date, e.end_to_end_id, Number(e.settled) === 1 ? 'matched' : 'open', null, null]);
  for (const b of breaks) rows.push(['break', b.statement_id, b.subject, null, b.amount, null, null, b.status, b.kind, b.detail]);
  rows.push(['balance', statement.statement_id, null, null, statement.closing_balance, null, null, statement.breaks === 0 ? 'reconciled' : 'breaks', null,
    `supply ${statement.supply ?? '?'} + credits in transit ${statement.credits_in_transit ?? '?'} + payouts in transit ${statement.payouts_in_transit ?? '?'}`]);
  return stringify(rows);
}

/**
 * The bank's operations desk: its staff (named in the settings) link client accounts and
 * read credits, suspense and payouts; the ledger's overseers read. Everyone else is refused:
 * these are the bank's books, not its clients'.
 */
export function bankingRoutes(services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, settings: BankingSettings): FastifyPluginAsyncTypebox {
  const { db, nowMs } = services;
  const staff = new Set(settings.staff);
  const mayRead = (caller: Caller) => caller.seesAll || staff.has(caller.participant);
  const guard = (request: FastifyRequest, write: boolean): Caller => {
    const caller = callerOf(request);
    if (write ? !staff.has(caller.participant) : !mayRead(caller)) throw new LedgerError('forbidden', `${caller.participant} is not on the banking desk of ${settings.asset}`);
    return caller;
  };

  return async (app) => {
    app.get('/links', { schema: { summary: 'Client bank accounts linked to token accounts', querystring: Type.Object({ limit: Limit }, closed), response: { 200: Page(LinkView) } } }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const rows = await db.selectFrom('banking_links').selectAll().orderBy('bank_account').limit(limit + 1).execute() as LinkRow[];
      return { data: rows.slice(0, limit).map(linkView), has_more: rows.length > limit };
    });

    app.post('/links', {
      schema: {
        summary: "Link a client's bank account to its token account (again: relink): its deposits to the omnibus account mint there; with the holder, its redemptions are paid back there",
        body: Type.Object({ bankAccount: BankAccount, tokenAccount: TokenAccount, holder: Type.Optional(Holder) }, closed), response: { 200: LinkView },
      },
    }, async (request) => {
      const caller = guard(request, true);
      const { holder } = request.body;
      const row: LinkRow = {
        bank_account: request.body.bankAccount, token_account: request.body.tokenAccount, linked_by: caller.participant, linked_at_ms: nowMs(),
        holder_name: holder?.name ?? null, holder_town: holder?.town ?? null, holder_country: holder?.country ?? null, holder_agent_bic: holder?.agentBic ?? null,
      };
      await db.insertInto('banking_links').values(row).onConflict((oc) => oc.column('bank_account').doUpdateSet(row)).execute();
      return linkView(row);
    });

    app.get('/credits', {
      schema: { summary: 'Credits on the omnibus account: minting, held for approval, minted, in suspense with the reason, or returned to the sender', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('minting'), Type.Literal('held'), Type.Literal('minted'), Type.Literal('suspense'), Type.Literal('returned')])), limit: Limit,
        starting_after: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'the last entry of the previous page: the credits received after it' })),
      }, closed), response: { 200: Page(CreditView) } },
    }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      let query = db.selectFrom('banking_credits').selectAll().orderBy('received_at_ms').orderBy('entry_key').limit(limit + 1);
      if (request.query.status !== undefined) query = query.where('status', '=', request.query.status);
      const after = request.query.starting_after;
      if (after !== undefined) {
        const cursor = await db.selectFrom('banking_credits').select('received_at_ms').where('entry_key', '=', after).executeTakeFirst() as { received_at_ms: number } | undefined;
        if (cursor === undefined) throw new LedgerError('invalid_request', `no credit ${after} to start after`, 'starting_after');
        const at = Number(cursor.received_at_ms);
        query = query.where((eb) => eb.or([eb('received_at_ms', '>', at), eb.and([eb('received_at_ms', '=', at), eb('entry_key', '>', after)])]));
      }
      const rows = await query.execute() as CreditRow[];
      return { data: rows.slice(0, limit).map(creditView), has_more: rows.length > limit };
    });

    app.get('/statements', { schema: { summary: 'Statements of the omnibus account received, latest first, with their reconciliation', querystring: Type.Object({ limit: Limit }, closed), response: { 200: Page(StatementView) } } }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const rows = await db.selectFrom('banking_statements').selectAll().orderBy('cutoff_ms', 'desc').limit(limit + 1).execute() as StatementRow[];
      return { data: rows.slice(0, limit).map(statementView), has_more: rows.length > limit };
    });

    app.get('/report', {
      schema: {
        summary: "A statement's reconciliation report: the figures, each booked entry matched or not, the breaks it raised (JSON, or CSV with format=csv)",
        querystring: Type.Object({ statement: Type.String({ minLength: 1, maxLength: 35 }), format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }, closed),
        response: { 200: Type.Object({ statement: StatementView, entries: Type.Array(EntryView), breaks: Type.Array(BreakView) }, closed) },
      },
    }, async (request, reply) => {
      guard(request, false);
      const statement = await db.selectFrom('banking_statements').selectAll().where('statement_id', '=', request.query.statement).executeTakeFirst() as StatementRow | undefined;
      if (statement === undefined) throw new ApiError('resource_not_found', `no statement ${request.query.statement}`);
      const entries = await db.selectFrom('banking_statement_entries').selectAll().where('statement_id', '=', statement.statement_id).orderBy('n').execute() as StatementEntryRow[];
      const breaks = await db.selectFrom('banking_breaks').selectAll().where('statement_id', '=', statement.statement_id).orderBy('id').execute() as BreakRow[];
      if (request.query.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="reconciliation.csv"`).serializer((body: string) => body).send(reportCsv(statement, entries, breaks) as never);
      return { statement: statementView(statement), entries: entries.map(entryView), breaks: breaks.map((b) => breakView(b, nowMs())) };
    });

    app.get('/breaks', {
      schema: { summary: 'Reconciliation breaks, oldest first, with their kind and age', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved')])), limit: Limit }, closed), response: { 200: Page(BreakView) } },
    }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      let query = db.selectFrom('banking_breaks').selectAll().orderBy('raised_at_ms').orderBy('id').limit(limit + 1);
      if (request.query.status !== undefined) query = query.where('status', '=', request.query.status);
      const rows = await query.execute() as BreakRow[];
      return { data: rows.slice(0, limit).map((row) => breakView(row, nowMs())), has_more: rows.length > limit };
    });

    app.post('/breaks/resolve', {
      schema: { summary: 'Resolve an open break with a note: it stays listed, with who resolved it and why', body: Type.Object({ id: Type.String({ minLength: 1, maxLength: 400 }), note: Note }, closed), response: { 200: BreakView } },
    }, async (request) => {
      const caller = guard(request, true);
      const { id, note } = request.body;
      await db.updateTable('banking_breaks').set({ status: 'resolved', resolved_by: caller.participant, resolution_note: note, resolved_at_ms: nowMs() }).where('id', '=', id).where('status', '=', 'open').execute();
      const row = await db.selectFrom('banking_breaks').selectAll().where('id', '=', id).executeTakeFirst() as BreakRow | undefined;
      if (row === undefined) throw new ApiError('resource_not_found', `no break ${id}`);
      if (row.resolved_by !== caller.participant || row.resolution_note !== note) throw new LedgerError('invalid_request', `break ${id} was resolved already, by ${row.resolved_by ?? '?'}: ${row.resolution_note ?? ''}`, 'id');
      return breakView(row, nowMs());
    });

    app.post('/requests', {
      schema: {
        summary: "Ask the module's participant to reconcile a statement again, mint a credit in suspense once its cause is fixed, or return it to its sender with a pacs.004; carried out on its next round",
        body: RequestBody, response: { 202: RequestView },
      },
    }, async (request, reply) => {
      const caller = guard(request, true);
      const body = request.body;
      const row: RequestRow = {
        id: randomUUID(), kind: body.kind, subject: body.kind === 'reconcile' ? body.statement ?? null : body.entry, reason: body.kind === 'return_credit' ? body.reason : null,
        note: body.kind === 'return_credit' ? body.note ?? null : null, requested_by: caller.participant, requested_at_ms: nowMs(), status: 'pending', outcome: null, done_at_ms: null,
      };
      await db.insertInto('banking_requests').values(row).execute();
      return reply.code(202).send(requestView(row));
    });

    app.get('/requests/:id', { schema: { summary: 'A desk request and, once carried out, its outcome', params: Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' }) }, closed), response: { 200: RequestView } } }, async (request) => {
      guard(request, false);
      const row = await db.selectFrom('banking_requests').selectAll().where('id', '=', request.params.id).executeTakeFirst() as RequestRow | undefined;
      if (row === undefined) throw new ApiError('resource_not_found', `no request ${request.params.id}`);
      return requestView(row);
    });

    app.get('/payouts', { schema: { summary: 'Committed redemptions the bank owes back into its clients\' books', querystring: Type.Object({ limit: Limit }, closed), response: { 200: Page(PayoutView) } } }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const rows = await db.selectFrom('banking_payouts').selectAll().orderBy('recorded_at_ms').orderBy('position').limit(limit + 1).execute() as PayoutRow[];
      return { data: rows.slice(0, limit).map(payoutView), has_more: rows.length > limit };
    });
  };
}
