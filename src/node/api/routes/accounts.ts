import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CONDITIONAL_STATUSES, HOLD_STATUSES, literals, PROPOSAL_STATUSES, Reference, SETTLEMENT_STATUSES } from '../../../core/index.js';
import { parseQueryTime, QUERY_TIME_PATTERN } from '../../query-time.js';
import { LedgerError } from '../../errors.js';
import type { Ledger } from '../../ledger.js';
import { accountView } from '../../views.js';
import { actsAs } from '../../visibility.js';
import { viewerOf } from '../auth.js';
import { paginate, sortedById } from '../pagination.js';
import { Id, OwnedPageQuery, PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, StatusPageQuery } from '../schemas.js';

/** A time in a query: milliseconds since the epoch, or an ISO 8601 date or date-time (UTC unless it says otherwise). */
const Time = Type.String({ pattern: QUERY_TIME_PATTERN, description: 'milliseconds since the epoch, or an ISO 8601 date (2026-11-21, UTC) or date-time' });

/** A query time in milliseconds; a bare date as an end of range means the end of that day (UTC). */
function timeMs(param: string, text: string | undefined, endOfDay = false): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseQueryTime(text, endOfDay);
  if (ms === null) throw new LedgerError('invalid_request', `${param} is not a date or time that exists: ${JSON.stringify(text)}`, param);
  return ms;
}

export const accountRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  const view = (id: string) => accountView(ledger.state.accounts.get(id)!, ledger.state.assets.get(ledger.state.accounts.get(id)!.asset)!);

  app.get('/v1/accounts', {
    schema: { summary: 'Accounts the caller may see, with available and held balances', querystring: OwnedPageQuery },
  }, async (request) => {
    const viewer = viewerOf(request);
    const { owner } = request.query;
    const visible = [...ledger.state.accounts.values()].filter((a) => (viewer.seesAll || actsAs(viewer, a.owner, ledger.state)) && (owner === undefined || a.owner === owner));
    const page = paginate(sortedById(visible), (a) => a.id, request.query);
    return { data: page.data.map((a) => view(a.id)), has_more: page.has_more };
  });

  app.get('/v1/accounts/:id', {
    schema: { summary: 'One account and its balances', params: Type.Object({ id: Id }) },
  }, async (request) => {
    const { account, asset } = ledger.queries.account(viewerOf(request), request.params.id);
    return accountView(account, asset);
  });

  app.get('/v1/accounts/:id/balance', {
    schema: { summary: 'An account\'s balances as of a time (after the last event at or before it)', params: Type.Object({ id: Id }), querystring: Type.Object({ at: Time }, { additionalProperties: false }) },
  }, async (request) => ledger.queries.balanceAt(viewerOf(request), request.params.id, timeMs('at', request.query.at, true)!));

  app.get('/v1/accounts/:id/transactions', {
    schema: {
      summary: 'An account\'s history, newest first: each line with its change, its balances after, counterparty, reference and memo (rejected attempts included)',
      description: 'Cursor pagination: pass `next` (a position "height:index:n") as starting_after. Filters by reference, counterparty (an account or a participant) and time range (from inclusive, to inclusive).',
      params: Type.Object({ id: Id }),
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })),
        starting_after: Type.Optional(Type.String({ maxLength: 40 })),
        reference: Type.Optional(Reference),
        counterparty: Type.Optional(Id),
        from: Type.Optional(Time),
        to: Type.Optional(Time),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const q = request.query;
    const fromMs = timeMs('from', q.from);
    const toMs = timeMs('to', q.to, true);
    return ledger.queries.history(viewerOf(request), request.params.id, {
      limit: q.limit ?? PAGE_LIMIT_DEFAULT,
      ...(q.starting_after !== undefined && { startingAfter: q.starting_after }),
      ...(q.reference !== undefined && { reference: q.reference }),
      ...(q.counterparty !== undefined && { counterparty: q.counterparty }),
      ...(fromMs !== undefined && { fromMs }),
      ...(toMs !== undefined && { toMs }),
    });
  });

  app.get('/v1/holds', {
    schema: { summary: "Holds the caller is a party to (as payer's or payee's owner; every hold, for overseers), by id", querystring: StatusPageQuery(literals(HOLD_STATUSES)) },
  }, async (request) => {
    const page = paginate(sortedById(ledger.queries.holds(viewerOf(request), request.query.status)), (hold) => hold.id, request.query);
    return { data: ledger.queries.holdViews(page.data), has_more: page.has_more };
  });

  app.get('/v1/holds/:id', {
    schema: { summary: 'A hold and its status', params: Type.Object({ id: Id }) },
  }, async (request) => ledger.queries.hold(viewerOf(request), request.params.id));

  app.get('/v1/conditional-payments', {
    schema: { summary: 'Conditional payments the caller is concerned by (payer, payee, or named in a condition; all, for overseers), by id', querystring: StatusPageQuery(literals(CONDITIONAL_STATUSES)) },
  }, async (request) => {
    const page = paginate(sortedById(ledger.queries.conditionalPayments(viewerOf(request), request.query.status)), (payment) => payment.id, request.query);
    return { data: ledger.queries.conditionalViews(page.data, ledger.now()), has_more: page.has_more };
  });

  app.get('/v1/conditional-payments/:id', {
    schema: { summary: 'A conditional payment: its tranches, what each still waits for, its status', params: Type.Object({ id: Id }) },
  }, async (request) => ledger.queries.conditionalPayment(viewerOf(request), request.params.id, ledger.now()));

  app.get('/v1/payee-check', {
    schema: {
      summary: "Confirmation of payee: whether an account takes payments and its owner's legal name matches the expected one",
      querystring: Type.Object({ account: Id, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
    },
  }, async (request) => ledger.queries.payeeCheck(request.query.account, request.query.name, ledger.now()));

  app.get('/v1/proposals', {
    schema: {
      summary: 'Proposals the caller made or is named to approve (all, for overseers), newest first; status=pending lists what waits for approvals',
      querystring: Type.Object({ status: Type.Optional(literals(PROPOSAL_STATUSES)), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, { additionalProperties: false }),
    },
  }, async (request) => ledger.queries.proposals(viewerOf(request), request.query.status, request.query.limit ?? PAGE_LIMIT_DEFAULT));

  app.get('/v1/proposals/:id', {
    schema: { summary: 'A proposal a policy held back: its operations, each requirement with its approvals, and what it still waits for', params: Type.Object({ id: Id }) },
  }, async (request) => ledger.queries.proposal(viewerOf(request), request.params.id));

  app.get('/v1/accounts/:id/policy', {
    schema: { summary: "An account's policy in force: approvals above an amount, limits, counterparties, and what it spent today", params: Type.Object({ id: Id }) },
  }, async (request) => ledger.queries.accountPolicy(viewerOf(request), request.params.id, ledger.now()));

  app.get('/v1/settlements', {
    schema: { summary: 'Settlements the caller is concerned by (a party to a leg, or its settler; all, for overseers), by id', querystring: StatusPageQuery(literals(SETTLEMENT_STATUSES)) },
  }, async (request) => {
    const page = paginate(sortedById(ledger.queries.settlements(viewerOf(request), request.query.status)), (settlement) => settlement.id, request.query);
    return { data: ledger.queries.settlementViews(page.data), has_more: page.has_more };
  });

  app.get('/v1/settlements/:id', {
    schema: { summary: 'A settlement: its legs, each allocated and approved or not, and who still has to act', params: Type.Object({ id: Id }) },
  }, async (request) => ledger.queries.settlement(viewerOf(request), request.params.id));
};
