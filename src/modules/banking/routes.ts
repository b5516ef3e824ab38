import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import type { BankingSettings } from './settings.js';
import type { CreditRow, LinkRow, PayoutRow } from './tables.js';

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
      schema: { summary: 'Credits on the omnibus account: minted, or in suspense with the reason', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('minted'), Type.Literal('suspense')])), limit: Limit }, closed), response: { 200: Page(CreditView) } },
    }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      let query = db.selectFrom('banking_credits').selectAll().orderBy('received_at_ms').orderBy('entry_key').limit(limit + 1);
      if (request.query.status !== undefined) query = query.where('status', '=', request.query.status);
      const rows = await query.execute() as CreditRow[];
      return { data: rows.slice(0, limit).map(creditView), has_more: rows.length > limit };
    });

    app.get('/payouts', { schema: { summary: 'Committed redemptions the bank owes back into its clients\' books', querystring: Type.Object({ limit: Limit }, closed), response: { 200: Page(PayoutView) } } }, async (request) => {
      guard(request, false);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const rows = await db.selectFrom('banking_payouts').selectAll().orderBy('recorded_at_ms').orderBy('position').limit(limit + 1).execute() as PayoutRow[];
      return { data: rows.slice(0, limit).map(payoutView), has_more: rows.length > limit };
    });
  };
}
