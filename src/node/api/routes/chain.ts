import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LedgerError } from '../../errors.js';
import type { Ledger } from '../../ledger.js';
import { viewerOf } from '../auth.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../schemas.js';

const Height = Type.Integer({ minimum: 1 });
/** A replication page stops adding blocks once it carries this many transactions (it always carries one block). */
const REPLICATION_PAGE_TRANSACTIONS = 20_000;

export const chainRoutes = (ledger: Ledger): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/v1/network', {
    config: { public: true },
    schema: { summary: 'The network id, genesis hash, validator keys and head: what a client needs to build and check transactions' },
  }, async () => ({
    network: ledger.genesis.network,
    genesisHash: ledger.engine.genesisHash,
    validators: ledger.genesis.validators,
    height: ledger.engine.head?.header.height ?? 0,
    headHash: ledger.engine.head?.hash ?? null,
    timeMs: ledger.now(),
  }));

  app.get('/v1/genesis', { schema: { summary: 'The genesis document that anchors the chain' } }, async () => ledger.genesis);

  app.get('/v1/blocks', {
    schema: {
      summary: 'Signed block headers in height order',
      querystring: Type.Object({ starting_after: Type.Optional(Type.Integer({ minimum: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
    const blocks = await ledger.store.blocks(request.query.starting_after ?? 0, limit + 1);
    return { data: blocks.slice(0, limit), has_more: blocks.length > limit };
  });

  app.get('/v1/replication', {
    schema: {
      summary: 'Blocks after a height, for an observer to verify and replay: every transaction for the operator, auditors and compliance; otherwise the caller\'s own, each with its Merkle inclusion proofs',
      querystring: Type.Object({ after: Type.Integer({ minimum: 0 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const viewer = viewerOf(request);
    const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
    const data: unknown[] = [];
    let carried = 0;
    for await (const { block, transactions } of ledger.store.storedBlocks(request.query.after)) {
      if (data.length === limit || (data.length > 0 && carried + transactions.length > REPLICATION_PAGE_TRANSACTIONS)) break;
      carried += transactions.length;
      data.push(viewer.seesAll ? { block, transactions: transactions.map(({ envelope, result, signers }) => ({ envelope, result, signers })) } : await ledger.queries.partialBlock(viewer, block.header.height));
    }
    return { complete: viewer.seesAll, data, head: ledger.engine.head?.header.height ?? 0 };
  });

  app.get('/v1/blocks/:height', { schema: { summary: 'One signed block header', params: Type.Object({ height: Height }) } }, async (request) => {
    const block = await ledger.store.block(request.params.height);
    if (block === null) throw new LedgerError('block_not_found', `no block ${request.params.height}`, 'height');
    return block;
  });

  app.get('/v1/blocks/:height/transactions', {
    schema: { summary: "A block's transactions: all of them for the operator, auditors and compliance; otherwise the caller's own, with the operations that do not concern it withheld", params: Type.Object({ height: Height }) },
  }, async (request) => ledger.queries.blockTransactions(viewerOf(request), request.params.height));
};
