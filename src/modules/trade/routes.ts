import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '../../node/api/errors.js';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../../node/api/schemas.js';
import { LedgerError } from '../../node/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import { agreementHash, agreementProblems, AgreementSchema, compileAgreement, type Agreement } from './agreement.js';
import { agreementHtml, agreementPdf } from './document.js';
import type { DraftProvider } from './draft/providers.js';
import { readTranscript, TranscriptError } from './draft/transcript.js';
import type { SignatureRow, VersionRow } from './tables.js';

const closed = { additionalProperties: false } as const;
const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const Party = Type.Object({ participant: Id, account: Id }, closed);
/** The seller may name where it is paid in another currency than the price's. */
const Seller = Type.Object({ participant: Id, account: Id, settlementAccount: Type.Optional(Id) }, closed);

/** The currency's minor units (ISO 4217), as the runtime's Intl knows them. */
export function currencyDecimals(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** The conditional payment an agreement version is funded by: its id is the agreement's and the version's. */
export const paymentIdOf = (agreement: string, version: number) => `${agreement}-v${version}`;

/**
 * The trade desk under /v1/trade: anyone drafts from a conversation (nothing is stored);
 * the buyer or the seller (or a platform acting for both) proposes versions and reads its
 * agreements, their documents, signatures and the payment that funds them; overseers read all.
 */
export function tradeRoutes(services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, provider: DraftProvider): FastifyPluginAsyncTypebox {
  const latest = async (id: string, version?: number): Promise<VersionRow> => {
    let query = services.db.selectFrom('trade_versions').selectAll().where('agreement', '=', id);
    if (version !== undefined) query = query.where('version', '=', version);
    const row = await query.orderBy('version', 'desc').limit(1).executeTakeFirst() as VersionRow | undefined;
    if (row === undefined) throw new ApiError('resource_not_found', `no agreement ${id}${version === undefined ? '' : ` version ${version}`}`);
    return row;
  };
  const party = (caller: Caller, row: { buyer: string; seller: string }, platform?: string) => {
    if (!caller.seesAll && ![row.buyer, row.seller, platform].includes(caller.participant)) throw new LedgerError('forbidden', `${caller.participant} is not a party to this agreement`);
  };

  return async (app) => {
    app.post('/drafts', {
      schema: {
        summary: 'Draft an agreement from a conversation (plain text or JSON): fields with their source words and confidence, what is missing or contradictory; nothing is stored or signed',
        body: Type.Object({
          conversation: Type.String({ minLength: 1, maxLength: 200_000 }), today: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), id: Type.Optional(Id),
          buyer: Type.Optional(Party), seller: Type.Optional(Seller), carrier: Type.Optional(Id), inspector: Type.Optional(Id), arbiter: Type.Optional(Id),
        }, closed),
      },
    }, async (request) => {
      callerOf(request);
      const b = request.body;
      let messages;
      try {
        messages = readTranscript(b.conversation);
      } catch (error) {
        if (error instanceof TranscriptError) throw new LedgerError('invalid_request', error.message, 'conversation');
        throw error;
      }
      return provider.draft(messages, {
        today: b.today ?? new Date(services.nowMs()).toISOString().slice(0, 10), ...(b.id !== undefined && { id: b.id }),
        parties: { ...(b.buyer !== undefined && { buyer: b.buyer }), ...(b.seller !== undefined && { seller: b.seller }) },
        attesters: { ...(b.carrier !== undefined && { carrier: b.carrier }), ...(b.inspector !== undefined && { inspector: b.inspector }) },
        ...(b.arbiter !== undefined && { arbiter: b.arbiter }),
      });
    });

    app.post('/agreements', { schema: { summary: 'Propose a version of an agreement (the next one): checked, kept, and answered with the hash each party signs', body: Type.Object({ agreement: AgreementSchema }, closed) } }, async (request, reply) => {
      const caller = callerOf(request);
      const agreement = request.body.agreement as Agreement;
      party(caller, { buyer: agreement.buyer.participant, seller: agreement.seller.participant }, agreement.platform);
      const problems = agreementProblems(agreement, currencyDecimals(agreement.currency));
      if (problems.length > 0) throw new LedgerError('invalid_request', `the agreement cannot be signed: ${problems.join('; ')}`, 'agreement');
      const before = await services.db.selectFrom('trade_versions').select(['version', 'buyer', 'seller']).where('agreement', '=', agreement.id).orderBy('version', 'desc').limit(1).executeTakeFirst() as { version: number; buyer: string; seller: string } | undefined;
      const expected = (before?.version ?? 0) + 1;
      if (agreement.version !== expected) throw new LedgerError('invalid_request', `the next version of ${agreement.id} is ${expected}`, 'agreement.version');
      if (before !== undefined) party(caller, before);
      const hash = agreementHash(agreement);
      const row: VersionRow = { agreement: agreement.id, version: agreement.version, body: JSON.stringify(agreement), hash, buyer: agreement.buyer.participant, seller: agreement.seller.participant, proposed_by: caller.participant, proposed_at_ms: services.nowMs() };
      await services.db.insertInto('trade_versions').values(row).execute();
      return reply.code(201).send({ agreement: agreement.id, version: agreement.version, hash });
    });

    app.get('/agreements', {
      schema: {
        summary: "The agreements the caller is a party to (all, for overseers), newest first: each one's latest version, its hash and who signed it",
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: PAGE_LIMIT_MAX })) }, closed),
      },
    }, async (request) => {
      const caller = callerOf(request);
      const limit = request.query.limit ?? PAGE_LIMIT_DEFAULT;
      const versions = await services.db.selectFrom('trade_versions').selectAll().orderBy('proposed_at_ms', 'desc').orderBy('agreement').orderBy('version', 'desc').execute() as VersionRow[];
      const latestOnly = new Map<string, VersionRow>();
      for (const row of versions) if (!latestOnly.has(row.agreement)) latestOnly.set(row.agreement, row);
      // Who may read an agreement is decided as for one agreement: its parties, a platform acting for both (named inside it), overseers.
      const mayRead = (row: VersionRow): boolean => caller.seesAll || [row.buyer, row.seller, (JSON.parse(row.body) as Agreement).platform].includes(caller.participant);
      const rows = [...latestOnly.values()].filter(mayRead);
      const shown = rows.slice(0, limit);
      const signatures = shown.length === 0 ? [] : await services.db.selectFrom('trade_signatures').selectAll().where('agreement', 'in', shown.map((r) => r.agreement)).execute() as SignatureRow[];
      return {
        data: shown.map((row) => {
          const own = signatures.filter((s) => s.agreement === row.agreement && s.version === row.version && s.hash === row.hash);
          return { agreement: row.agreement, version: row.version, hash: row.hash, buyer: row.buyer, seller: row.seller, proposedBy: row.proposed_by, proposedAtMs: Number(row.proposed_at_ms), signedBy: own.map((s) => s.signed_by), concluded: own.some((s) => Number(s.concluded) === 1) };
        }),
        has_more: rows.length > limit,
      };
    });

    app.get('/agreements/:id', { schema: { summary: 'An agreement: its latest version (or the one asked), its hash, who signed it, and the conditional payment that funds it', params: Type.Object({ id: Id }, closed), querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, closed) } }, async (request) => {
      const caller = callerOf(request);
      const row = await latest(request.params.id, request.query.version);
      const agreement = JSON.parse(row.body) as Agreement;
      party(caller, row, agreement.platform);
      const signatures = await services.db.selectFrom('trade_signatures').selectAll().where('agreement', '=', row.agreement).where('version', '=', row.version).where('hash', '=', row.hash).orderBy('position').execute() as SignatureRow[];
      const payment = paymentIdOf(row.agreement, row.version);
      // In two currencies each release is paid to the seller's account in the price currency, then converted through a liquidity provider's quote (a PvP).
      const funding = { id: payment, operation: compileAgreement(agreement, { payment, decimals: currencyDecimals(agreement.currency) }), problem: null };
      return {
        agreement, hash: row.hash, proposedBy: row.proposed_by, signedBy: signatures.map((s) => s.signed_by), concluded: signatures.some((s) => Number(s.concluded) === 1),
        payment: funding,
      };
    });

    app.get('/agreements/:id/document', { schema: { summary: 'The agreement as a readable document (HTML, or PDF) with its hash', params: Type.Object({ id: Id }, closed), querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })), format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('pdf')])) }, closed) } }, async (request, reply) => {
      const caller = callerOf(request);
      const row = await latest(request.params.id, request.query.version);
      const agreement = JSON.parse(row.body) as Agreement;
      party(caller, row, agreement.platform);
      const decimals = currencyDecimals(agreement.currency);
      if (request.query.format === 'pdf') return reply.type('application/pdf').send(Buffer.from(await agreementPdf(agreement, decimals)));
      return reply.type('text/html; charset=utf-8').send(agreementHtml(agreement, decimals));
    });
  };
}

