import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Ledger } from '../../ledger.js';
import { viewerOf } from '../auth.js';

/** Par settlement between the issuers of one currency: who takes part, and each day's net positions. */
export const parRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/v1/par/members', {
    schema: { summary: 'The tokens settled at par with the other issuers of their currency: each issuer, its settlement account and its cap' },
  }, async () => ledger.par.members());

  app.get('/v1/par/net', {
    schema: {
      summary: "The end-of-day net settlement report: for each pair of banks and currency, what each owes the other for the day's payments at par, the net and who pays it in central-bank money (a bank sees its own pairs)",
      querystring: Type.Object({ day: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a UTC day of block time, YYYY-MM-DD (default: the day of the last block)' })) }, { additionalProperties: false }),
    },
  }, async (request) => ledger.par.net(viewerOf(request), request.query.day));
};
