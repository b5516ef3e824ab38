import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Ledger } from '../../ledger.js';
import { viewerOf } from '../auth.js';
import { LedgerError } from '../../errors.js';
import { ApiError } from '../errors.js';
import { forwardSubmission, type SequencerLocator } from '../forward.js';
import { TransactionBodySchema } from '../../../core/index.js';
import { EnvelopeSchema, Hash, Id, TransactionId } from '../schemas.js';

/** Where submissions go when this node does not sequence: to the elected sequencer, or nowhere (an observer). */
export interface SubmissionRouting {
  cluster?: { locator: SequencerLocator; self: string };
  /** An observer's upstream node: submissions are refused and pointed there. */
  observing?: string;
}

export const transactionRoutes = (ledger: Ledger, routing: SubmissionRouting = {}): FastifyPluginAsyncTypebox => async (app) => {
  const { cluster, observing } = routing;
  app.post('/v1/transactions', {
    schema: {
      summary: 'Submit a signed transaction',
      description: 'With wait=true (the default) answers once the block holding it is durable, with its receipt. Resubmitting the same sender and id with the same content returns the first outcome; with other content, 409.',
      querystring: Type.Object({ wait: Type.Optional(Type.Boolean({ default: true })) }, { additionalProperties: false }),
      body: EnvelopeSchema,
    },
  }, async (request, reply) => {
    if (observing !== undefined) throw new ApiError('read_only_node', `this is an observer node, which only verifies and serves reads; submit to ${observing}`);
    if (cluster !== undefined && ledger.role === 'follower') return forwardSubmission(request, reply, ledger, cluster.locator, cluster.self);
    const outcome = await ledger.submit(request.body, request.query.wait !== false);
    if (outcome.replayed) void reply.header('idempotent-replayed', 'true');
    return reply.status(outcome.status === 'sealed' ? 200 : 202).send(outcome);
  });

  app.post('/v1/simulate', {
    schema: {
      summary: 'Run operations against the current state as the caller would send them, changing nothing',
      description: 'The result (committed, or the code and why), the events, and the balances after of the caller\'s own accounts. Runs under the caller\'s own authority only: nothing here is signed or recorded. With days, the caller\'s standing instructions (those the operations set up included) are played over that many days; operations that set up, cancel or govern instructions also get the conflicts among them.',
      body: Type.Object({
        operations: TransactionBodySchema.properties.operations, atomic: TransactionBodySchema.properties.atomic,
        days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, description: "play the caller's standing instructions over this many days (an atomic transaction only)" })),
      }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { operations, atomic, days } = request.body;
    if (days !== undefined && atomic === false) throw new LedgerError('invalid_request', 'days plays the standing instructions after an atomic transaction: drop atomic: false', 'days');
    return ledger.queries.simulate(viewerOf(request), operations, atomic !== false, ledger.now(), days);
  });

  app.get('/v1/transactions', {
    schema: {
      summary: 'Find a transaction by its sender and client id, or by the start of its hash',
      description: 'Either `sender` and `id`, or `hash_prefix` (at least 6 hex digits, as tables print hashes): the one transaction of the caller\'s that starts with it.',
      querystring: Type.Object({ sender: Type.Optional(Id), id: Type.Optional(TransactionId), hash_prefix: Type.Optional(Type.String({ pattern: '^[0-9a-f]{6,64}$', description: 'the start of a transaction hash, lower-case hex' })) }, { additionalProperties: false }),
    },
  }, async (request) => {
    const { sender, id, hash_prefix: prefix } = request.query;
    const viewer = viewerOf(request);
    if (prefix !== undefined && sender === undefined && id === undefined) return ledger.queries.transactionByHashPrefix(viewer, prefix);
    if (prefix !== undefined || sender === undefined || id === undefined) throw new LedgerError('invalid_request', 'give either sender and id, or hash_prefix', prefix === undefined ? (sender === undefined ? 'sender' : 'id') : 'hash_prefix');
    return ledger.queries.transaction(viewer, await ledger.store.transactionById(sender, id), `${sender}/${id}`);
  });

  app.get('/v1/transactions/:hash', {
    schema: { summary: 'A transaction with its result and position: whole for its sender, signers and overseers; otherwise with the operations that do not concern the caller withheld', params: Type.Object({ hash: Hash }) },
  }, async (request) => ledger.queries.transaction(viewerOf(request), await ledger.store.transaction(request.params.hash), request.params.hash));

  app.get('/v1/transactions/:hash/receipt', {
    schema: { summary: 'The receipt: signed block header and Merkle inclusion proofs of the transaction and its result', params: Type.Object({ hash: Hash }) },
  }, async (request) => ledger.queries.receipt(viewerOf(request), request.params.hash));
};
