import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { LedgerError } from '../../node/errors.js';
import { ApiError } from '../../node/api/errors.js';
import type { Caller, ModuleServices } from '../kit/module.js';
import { assess, type Assessment, type Coin } from './assess.js';
import type { ReportDesk } from './desk.js';
import { HOLDING_CLASSES, ImportError } from './holdings.js';
import { money, percent } from './money.js';
import { profileNamed, PROFILES, type Profile } from './profiles.js';
import { proposeRebalancing } from './rebalance.js';
import type { RegisterStore } from './register.js';
import { holdingsCsv, reportHtml, type DailyReport } from './report.js';
import { proveHolding } from './proof.js';
import type { ReservesSettings } from './settings.js';
import { defaultScenarios, runScenario, type Scenario, type StressResult } from './stress.js';
import type { ProposalRow, ReportRow, WatchRow } from './tables.js';
import { lastCoin, lastManager } from './watch.js';

const closed = { additionalProperties: false } as const;
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Bp = Type.Integer({ minimum: 0, maximum: 10_000 });
const ScenarioSchema = Type.Object({
  name: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }), description: Type.String({ maxLength: 500 }),
  haircutsBp: Type.Optional(Type.Object(Object.fromEntries([...HOLDING_CLASSES, '*'].map((c) => [c, Type.Optional(Bp)])), closed)),
  runShareBp: Type.Optional(Bp), frozenJurisdictions: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: 250 })),
  unavailableCustodians: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 })),
}, closed);
const Yields = Type.Object(Object.fromEntries(HOLDING_CLASSES.map((c) => [c, Type.Optional(Type.Number({ minimum: -10, maximum: 100 }))])), closed);

interface Parts { register: RegisterStore; desk: ReportDesk }

const stressView = (s: StressResult) => ({ scenario: s.scenario, description: s.description, reservesAfter: money(s.reservesAfter), coverage: percent(s.coverageBp), hoursCovered: s.hoursCovered, firstBreach: s.firstBreach });
const rulesView = (a: Assessment) => a.rules.map((r) => ({ rule: r.rule, description: r.description, value: r.value, limit: r.limit, status: r.status }));
const reportView = (row: ReportRow) => ({ report: row.report, status: row.status, requestedBy: row.requested_by, sha256: row.sha256, holdingsRoot: row.holdings_root, transaction: row.transaction_hash, problem: row.problem, doneAtMs: row.done_at_ms === null ? null : Number(row.done_at_ms) });
const proposalView = (row: ProposalRow) => ({ id: row.id, createdAtMs: Number(row.created_at_ms), requestedBy: row.requested_by, registerVersion: Number(row.register_version), status: row.status, decidedBy: row.decided_by, note: row.note, ...JSON.parse(row.body) as object });

/**
 * The reserves desk under /v1/reserves: the issuer's officers, the reserve manager and
 * those who oversee the ledger read the register, checks, stress tests, proposals and
 * reports; the issuer's officers and the manager import files and ask for reports; only the
 * issuer's officers decide proposals. Any participant may take a holding's proof against an
 * attested root (the chain holds the root; the proof shows nothing else).
 */
export function reservesRoutes(services: ModuleServices, callerOf: (request: FastifyRequest) => Caller, settings: ReservesSettings, profile: Profile, parts: Parts): FastifyPluginAsyncTypebox {
  /** The coin's issuer, or its reserve manager as the ledger names it (not any participant holding the role). */
  const ownPeople = async (caller: Caller): Promise<boolean> => {
    if (caller.participant === settings.issuer) return true;
    if (!caller.roles.includes('reserve_manager')) return false;
    const manager = await lastManager(services.db, settings.asset);
    if (manager === null) throw new LedgerError('unavailable', `the reserves module has not read who manages the reserves of ${settings.asset} from the ledger yet: try again shortly`, undefined, 1);
    return caller.participant === manager;
  };
  const insider = async (request: FastifyRequest): Promise<Caller> => {
    const caller = callerOf(request);
    if (!caller.seesAll && !(await ownPeople(caller))) throw new LedgerError('forbidden', `${caller.participant} may not see the reserves of ${settings.asset}`);
    return caller;
  };
  const officer = async (request: FastifyRequest): Promise<Caller> => {
    const caller = callerOf(request);
    if (!caller.roles.includes('operator') && !(await ownPeople(caller))) throw new LedgerError('forbidden', `only ${settings.issuer}, the reserve manager of ${settings.asset} or the operator change its register`);
    return caller;
  };
  const coin = async (): Promise<Coin> => {
    const read = await lastCoin(services.db, settings.asset);
    if (read === undefined) throw new LedgerError('unavailable', `the reserves module has not read the supply of ${settings.asset} from the ledger yet: try again shortly`, undefined, 1);
    return read;
  };
  const assessed = async (profileId?: string) => {
    let chosen = profile;
    if (profileId !== undefined) {
      if (PROFILES[profileId] === undefined) throw new LedgerError('invalid_request', `no reserve profile "${profileId}"; known: ${Object.keys(PROFILES).join(', ')}`, 'profile');
      chosen = { ...profileNamed(profileId), warningBp: profile.warningBp, stopBp: profile.stopBp };
    }
    const c = await coin();
    return { coin: c, assessment: assess(await parts.register.current(), c, chosen) };
  };

  return async (app) => {
    app.post('/imports', {
      schema: {
        summary: 'Import a custodian position file, a price file or FX rates (CSV): a new register version, its hash recorded; any bad cell refuses the whole file',
        body: Type.Object({ kind: Type.Union([Type.Literal('positions'), Type.Literal('prices'), Type.Literal('fx')]), name: Type.String({ minLength: 1, maxLength: 200 }), csv: Type.String({ minLength: 1, maxLength: 16_000_000 }), asOf: Type.Optional(Day) }, closed),
      },
      bodyLimit: 16 * 1024 * 1024,
    }, async (request, reply) => {
      const caller = await officer(request);
      const asOf = request.body.asOf ?? new Date(services.nowMs()).toISOString().slice(0, 10);
      try {
        const row = await parts.register.import(request.body.kind, request.body.name, request.body.csv, asOf, caller.participant);
        return await reply.code(201).send({ version: row.version, kind: row.kind, name: row.name, sha256: row.sha256, rows: row.rows, asOf: row.as_of });
      } catch (error) {
        if (!(error instanceof ImportError)) throw error;
        throw new LedgerError('invalid_request', error.message, 'csv');
      }
    });

    app.get('/imports', { schema: { summary: 'The imports, newest first, with their files\' SHA-256' } }, async (request) => {
      await insider(request);
      return { data: (await parts.register.imports(100)).map((r) => ({ version: r.version, kind: r.kind, name: r.name, sha256: r.sha256, rows: r.rows, asOf: r.as_of, importedBy: r.imported_by, importedAtMs: Number(r.imported_at_ms) })) };
    });

    app.get('/check', { schema: { summary: "Every rule of a profile on the register against the live supply: value, limit, pass / warning / breach", querystring: Type.Object({ profile: Type.Optional(Type.String({ maxLength: 40 })) }, closed) } }, async (request) => {
      await insider(request);
      const { coin: c, assessment } = await assessed(request.query.profile);
      const t = assessment.totals;
      return {
        asset: c.asset, profile: assessment.profile.id, registerVersion: assessment.registerVersion, asOf: assessment.asOf, currency: c.currency, supply: money(assessment.supply),
        reserves: money(t.eligible), ineligible: money(t.ineligible), riskReserve: money(t.riskReserve), coverage: percent(assessment.coverageBp), liquidity: percent(assessment.liquidityBp),
        status: assessment.status, rules: rulesView(assessment),
        tiers: (['top', 'middle', 'bottom'] as const).map((tier) => ({ tier, value: money(t.byTier[tier]), share: percent(t.eligible === 0n ? 0n : (t.byTier[tier] * 10_000n) / t.eligible) })),
        ineligibleHoldings: assessment.valued.filter((v) => v.holding.purpose === 'reserve' && v.tier === null).map((v) => ({ instrumentId: v.holding.instrumentId, value: money(v.value), why: v.ineligible })),
      };
    });

    app.post('/stress', { schema: { summary: "The seed's stress scenarios (market, run, operational, legal) and any custom ones on the current register", body: Type.Object({ scenarios: Type.Optional(Type.Array(ScenarioSchema, { maxItems: 50 })), defaults: Type.Optional(Type.Boolean()) }, closed) } }, async (request) => {
      await insider(request);
      const { coin: c, assessment } = await assessed();
      const scenarios: Scenario[] = [...(request.body.defaults === false ? [] : defaultScenarios(assessment.valued)), ...(request.body.scenarios ?? []) as Scenario[]];
      return { asset: c.asset, supply: money(assessment.supply), reserves: money(assessment.totals.eligible), coverage: percent(assessment.coverageBp), results: scenarios.map((s) => stressView(runScenario(assessment.valued, assessment.supply, assessment.profile, c.currency, s))) };
    });

    app.post('/proposals', { schema: { summary: 'Propose the trades that restore the profile at least cost (a linear programme, GLPK); nothing is traded', body: Type.Object({ yields: Type.Optional(Yields) }, closed) } }, async (request, reply) => {
      const caller = await officer(request);
      const { coin: c, assessment } = await assessed();
      const proposal = await proposeRebalancing(assessment.valued, assessment.supply, assessment.profile, c.currency, request.body.yields ?? {});
      const row: ProposalRow = { id: randomUUID(), created_at_ms: services.nowMs(), requested_by: caller.participant, register_version: assessment.registerVersion, body: JSON.stringify(proposal), status: 'proposed', decided_by: null, decided_at_ms: null, note: null };
      await services.db.insertInto('reserves_proposals').values(row).execute();
      return reply.code(201).send(proposalView(row));
    });

    app.get('/proposals', { schema: { summary: 'Rebalancing proposals, newest first' } }, async (request) => {
      await insider(request);
      return { data: (await services.db.selectFrom('reserves_proposals').selectAll().orderBy('created_at_ms', 'desc').limit(100).execute() as ProposalRow[]).map(proposalView) };
    });

    app.post('/proposals/:id/decision', { schema: { summary: "The issuer's treasurer accepts or rejects a proposal (the module trades nothing)", params: Type.Object({ id: Type.String({ maxLength: 64 }) }, closed), body: Type.Object({ accept: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 1000 })) }, closed) } }, async (request) => {
      const caller = callerOf(request);
      if (caller.participant !== settings.issuer) throw new LedgerError('forbidden', `only ${settings.issuer}'s treasurers decide rebalancing proposals`);
      const decided = await services.db.updateTable('reserves_proposals').set({ status: request.body.accept ? 'accepted' : 'rejected', decided_by: caller.participant, decided_at_ms: services.nowMs(), note: request.body.note ?? null })
        .where('id', '=', request.params.id).where('status', '=', 'proposed').executeTakeFirst();
      if (Number(decided.numUpdatedRows) === 0) throw new ApiError('resource_not_found', `no undecided proposal ${request.params.id}`);
      return proposalView(await services.db.selectFrom('reserves_proposals').selectAll().where('id', '=', request.params.id).executeTakeFirstOrThrow() as ProposalRow);
    });

    app.post('/reports', { schema: { summary: "Make a day's report and attest it on the chain (carried out by the module's participant)", body: Type.Object({ report: Type.Optional(Day) }, closed) } }, async (request, reply) => {
      const caller = await officer(request);
      const row = await parts.desk.request(request.body.report ?? new Date(services.nowMs()).toISOString().slice(0, 10), caller.participant);
      return reply.code(202).send(reportView(row));
    });

    app.get('/reports', { schema: { summary: 'Daily reports, newest first, with their hash and attestation' } }, async (request) => {
      await insider(request);
      return { data: (await parts.desk.list(100)).map(reportView) };
    });

    app.get('/reports/:report', { schema: { summary: 'One report: its status, or its document (format json, csv of the holdings, or html with charts)', params: Type.Object({ report: Day }, closed), querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('status'), Type.Literal('json'), Type.Literal('csv'), Type.Literal('html')])) }, closed) } }, async (request, reply) => {
      await insider(request);
      const row = await parts.desk.get(request.params.report);
      if (row === undefined) throw new ApiError('resource_not_found', `no report ${request.params.report}`);
      const format = request.query.format ?? 'status';
      if (format === 'status' || row.body === null) return reportView(row);
      const report = JSON.parse(row.body) as DailyReport;
      if (format === 'json') return reply.type('application/json').send(row.body);
      if (format === 'html') return reply.type('text/html; charset=utf-8').send(await reportHtml(report, row.sha256 ?? ''));
      const holdings = await parts.register.holdingsAt(report.registerVersion);
      const c = await coin();
      const register = await parts.register.current();
      return reply.type('text/csv; charset=utf-8').send(holdingsCsv(assess({ ...register, version: report.registerVersion, holdings }, c, profileNamed(report.profile))));
    });

    app.get('/reports/:report/holdings/:instrument/proof', { schema: { summary: "A holding of a report's register with its Merkle audit path to the root the report attests", params: Type.Object({ report: Day, instrument: Type.String({ minLength: 1, maxLength: 200 }) }, closed) } }, async (request) => {
      callerOf(request);
      const row = await parts.desk.get(request.params.report);
      if (row?.body === null || row === undefined) throw new ApiError('resource_not_found', `no report ${request.params.report}`);
      const report = JSON.parse(row.body) as DailyReport;
      const proof = proveHolding(await parts.register.holdingsAt(report.registerVersion), request.params.instrument);
      if (proof === undefined) throw new ApiError('resource_not_found', `no holding ${request.params.instrument} in the register of ${request.params.report}`);
      return { asset: settings.asset, report: report.report, ...proof };
    });

    app.get('/status', { schema: { summary: "The early warning: the last supply read, the level and what was done on the ledger" } }, async (request) => {
      await insider(request);
      const c = await lastCoin(services.db, settings.asset);
      const actions = await services.db.selectFrom('reserves_watch').selectAll().orderBy('at_ms', 'desc').limit(20).execute() as WatchRow[];
      return { asset: settings.asset, profile: profile.id, supplyMinor: c?.supplyMinor.toString() ?? null, actions: actions.map((a) => ({ atMs: Number(a.at_ms), level: a.level, coverage: a.coverage, liquidity: a.liquidity, supply: a.supply, registerVersion: Number(a.register_version), action: a.action, transaction: a.transaction_hash })) };
    });
  };
}
