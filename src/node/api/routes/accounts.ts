import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Account } from '../../../core/index.js';
import { LedgerError } from '../../errors.js';
import type { Ledger } from '../../ledger.js';
import { actsForOwner, viewerOf, type Viewer } from '../auth.js';
import { paginate, sortedById } from '../pagination.js';
import { Id, OwnedPageQuery, PAGE_LIMIT_DEFAULT, PageQuery } from '../schemas.js';
import { accountView, holdView, transactionView } from '../views.js';

export const accountRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  const canSee = (viewer: Viewer, account: Account): boolean => viewer.seesAll || actsForOwner(viewer, ledger.state.participants.get(account.owner));
  const view = (account: Account) => accountView(account, ledger.state.assets.get(account.asset)!);
  const visibleAccount = (viewer: Viewer, id: string): Account => {
    const account = ledger.state.accounts.get(id);
    if (account === undefined) throw new LedgerError('account_not_found', `no account ${id}`, 'id');
    if (!canSee(viewer, account)) throw new LedgerError('forbidden', `account ${id} does not belong to ${viewer.participant.id}`, 'id');
    return account;
  };

  app.get('/v1/accounts', {
    schema: { summary: 'Accounts the caller may see, with available and held balances', querystring: OwnedPageQuery },
  }, async (request) => {
    const viewer = viewerOf(request);
    const { owner } = request.query;
    const accounts = sortedById([...ledger.state.accounts.values()].filter((a) => canSee(viewer, a) && (owner === undefined || a.owner === owner)));
    const page = paginate(accounts, (a) => a.id, request.query);
    return { data: page.data.map(view), has_more: page.has_more };
  });

  app.get('/v1/accounts/:id', {
    schema: { summary: 'One account and its balances', params: Type.Object({ id: Id }) },
  }, async (request) => view(visibleAccount(viewerOf(request), request.params.id)));

  app.get('/v1/accounts/:id/transactions', {
    schema: {
      summary: 'Transactions touching an account, newest first',
      description: 'Cursor pagination: pass the last item\'s "height:position" as starting_after.',
      params: Type.Object({ id: Id }),
      querystring: PageQuery,
    },
  }, async (request) => {
    visibleAccount(viewerOf(request), request.params.id);
    const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
    let before = null;
    if (request.query.starting_after !== undefined) {
      const match = /^([0-9]{1,15}):([0-9]{1,9})$/.exec(request.query.starting_after);
      if (match === null) throw new LedgerError('invalid_request', 'starting_after is "height:position"', 'starting_after');
      before = { height: Number(match[1]), position: Number(match[2]) };
    }
    const rows = await ledger.store.accountHistory(request.params.id, before, limit + 1);
    return { data: rows.slice(0, limit).map(transactionView), has_more: rows.length > limit };
  });

  app.get('/v1/holds/:id', {
    schema: { summary: 'A hold and its status', params: Type.Object({ id: Id }) },
  }, async (request) => {
    const viewer = viewerOf(request);
    const hold = ledger.state.holds.get(request.params.id);
    if (hold === undefined) throw new LedgerError('hold_not_found', `no hold ${request.params.id}`, 'id');
    const parties = [hold.payer, hold.payee].map((id) => ledger.state.accounts.get(id)!);
    if (!parties.some((account) => canSee(viewer, account))) throw new LedgerError('forbidden', `${viewer.participant.id} is not a party to hold ${hold.id}`, 'id');
    return holdView(hold, ledger.state.assets.get(hold.asset)!);
  });
};
