import { randomUUID } from 'node:crypto';
import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import type { LedgerModule, ModuleContext, ModuleServices, Recorder } from '../kit/module.js';
import { ListBook, type ListUpdate } from './book.js';
import { onboardingPolicy } from './onboarding.js';
import { TravelRuleDesk } from './travel-rule.js';
import type { AdmissionPolicy } from '../../node/admission.js';
import { complianceRoutes } from './routes.js';
import { outcomeOf } from './screening/outcome.js';
import type { Hit } from './screening/screener.js';
import type { ThresholdSettings } from './screening/thresholds.js';
import { CaseDesk } from './cases.js';
import { COMPLIANCE_EVENT_TYPES } from './event-types.js';
import { PaymentFollower } from './monitoring/follower.js';
import { ReportDesk } from './reports/filing.js';
import { monitoringSettings, type ComplianceSettings } from './settings.js';
import { COMPLIANCE_MIGRATIONS, type ScreeningRow } from './tables.js';

/**
 * The compliance module: it screens every participant against the sanctions lists when it
 * joins and whenever it changes (following the feed; at admission too, in the node's
 * process), rescreens them all against what changed when a list file gets a new version,
 * answers screening requests (`POST /v1/compliance/screen`), monitors every payment
 * (rules and graph typologies) into alerts, and keeps the cases compliance works them in,
 * carrying out their freezes on the ledger.
 */
const LIST_CHECK_MS_DEFAULT = 60_000;

export function complianceModule(settings: ComplianceSettings): LedgerModule {
  const book = new ListBook(settings.lists, settings.thresholds as ThresholdSettings | undefined);
  // The first load is recorded (and rescreens) on the first round of work.
  let pending = book.load();
  const checkEveryMs = (settings.listCheckSeconds ?? 0) * 1000 || LIST_CHECK_MS_DEFAULT;
  let checkedAtMs = 0;
  const monitoring = monitoringSettings(settings);
  const followers = new WeakMap<DepositumClient, PaymentFollower>();
  const reportDesks = new WeakMap<object, ReportDesk>();
  /** The report desk on these tables, if the settings say who reports. */
  const reportDeskFor = (services: ModuleServices): ReportDesk | undefined => {
    if (settings.reporting === undefined) return undefined;
    let desk = reportDesks.get(services.db);
    if (desk === undefined) reportDesks.set(services.db, desk = new ReportDesk(services.db, settings.reporting, monitoring, services.nowMs));
    return desk;
  };
  const followerFor = (context: ModuleContext): PaymentFollower => {
    let follower = followers.get(context.client);
    if (follower === undefined) followers.set(context.client, follower = new PaymentFollower(context.db, context.client, monitoring, context.nowMs));
    return follower;
  };

  function row(participant: string, legalName: string, cause: string, hits: readonly Hit[], nowMs: number): ScreeningRow {
    return {
      id: randomUUID(), participant, legal_name: legalName, cause, outcome: outcomeOf(hits), hits: JSON.stringify(hits),
      list_versions: JSON.stringify(book.versions()), screened_at_ms: nowMs, decision: null, decided_by: null, decided_at_ms: null, note: null,
    };
  }

  /** A page of the feed: payments and account openings to the monitor, participants to screening; recorded together. */
  async function handlePage(events: readonly LedgerEvent[], context: ModuleContext): Promise<Recorder | undefined> {
    const monitored = events.filter(isMonitored);
    const records = [await followerFor(context).handlePage(monitored)];
    for (const event of events) if (!isMonitored(event)) records.push(await screenParticipant(event, context));
    return async (trx) => {
      for (const record of records) await record?.(trx);
    };
  }

  /** A participant joined or changed: its legal name screened as an entity (participants are institutions). */
  async function screenParticipant(event: LedgerEvent, context: ModuleContext): Promise<Recorder> {
    const participant = String(event.data['participant']);
    const info = await context.client.participantInfo(participant) as unknown as { legalName: string };
    const hits = book.screener.screen({ name: info.legalName, type: 'entity' });
    const screening = row(participant, info.legalName, `${event.type === 'participant_registered' ? 'registered' : 'updated'}@${event.position}`, hits, context.nowMs());
    if (screening.outcome !== 'clear') context.log.warn({ participant, outcome: screening.outcome, hits: hits.length }, 'compliance: participant hits a list');
    return async (trx) => {
      await trx.insertInto('compliance_screenings').values(screening).execute();
    };
  }

  /** Every participant screened so far, against what a list update added or changed. */
  async function rescreen(context: ModuleContext, update: ListUpdate): Promise<void> {
    // Participants as registered: not refused registrations, nor the counterparties of Travel Rule data filed under their sender.
    const latest = await context.db.selectFrom('compliance_screenings').select(['participant', 'legal_name'])
      .where((eb) => eb.or([eb('cause', 'like', 'registered@%'), eb('cause', 'like', 'updated@%'), eb('cause', 'like', 'list_update:%')]))
      .orderBy('screened_at_ms').execute() as { participant: string; legal_name: string }[];
    const names = new Map(latest.map((r) => [r.participant, r.legal_name]));
    const rows = [...names].map(([participant, legalName]) => row(participant, legalName, `list_update:${update.list.source}:${update.list.version.slice(0, 16)}`, update.changes.screen({ name: legalName, type: 'entity' }), context.nowMs()));
    await context.db.transaction().execute(async (trx) => {
      await trx.insertInto('compliance_lists').values({
        source: update.list.source, version: update.list.version, path: update.path, entries: update.list.entries.size,
        added: update.diff.added.length, removed: update.diff.removed.length, changed: update.diff.changed.length, loaded_at_ms: context.nowMs(),
      }).onConflict((oc) => oc.columns(['source', 'version']).doNothing()).execute();
      for (const screening of rows) await trx.insertInto('compliance_screenings').values(screening).execute();
    });
    const hit = rows.filter((r) => r.outcome !== 'clear');
    context.log[hit.length > 0 ? 'warn' : 'info']({ list: update.list.source, added: update.diff.added.length, changed: update.diff.changed.length, removed: update.diff.removed.length, rescreened: rows.length, hits: hit.length }, 'compliance: list updated, participants rescreened');
  }

  async function work(context: ModuleContext): Promise<void> {
    await new CaseDesk(context.db, context.nowMs).carryOut(context.client);
    await reportDeskFor(context)?.fileDue(context.client);
    if (context.nowMs() - checkedAtMs < checkEveryMs && checkedAtMs !== 0) return;
    checkedAtMs = context.nowMs();
    await followerFor(context).prune();
    await reportDeskFor(context)?.scheduleDaily();
    let updates: ListUpdate[];
    try {
      updates = [...pending, ...await book.refresh()];
      pending = [];
    } catch (error) {
      context.log.error({ reason: (error as Error).message }, 'compliance: a list file does not read; the last good version stays in use');
      return;
    }
    for (const update of updates) await rescreen(context, update);
  }

  return {
    name: 'compliance',
    description: `sanctions screening against ${book.versions().map((v) => `${v.source} (${v.entries} entries)`).join(', ')} (participants, Travel Rule data, on request), transaction monitoring, cases and reports`,
    roles: ['compliance'],
    migrations: COMPLIANCE_MIGRATIONS,
    eventTypes: COMPLIANCE_EVENT_TYPES,
    handle: (event, context) => handlePage([event], context),
    handlePage,
    work,
    admissionPolicy: (services) => bothOf(onboardingPolicy(services.db, book, services.nowMs), new TravelRuleDesk(services.db, services.nowMs).policy()),
    routes: (services, callerOf) => complianceRoutes(services, callerOf, book, reportDeskFor(services)),
  };
}

const isMonitored = (event: LedgerEvent) => event.type === 'transferred' || event.type === 'account_opened';

/** Two admission policies, one after the other. */
function bothOf(first: AdmissionPolicy, second: AdmissionPolicy): AdmissionPolicy {
  return {
    name: `${first.name}; ${second.name}`,
    check: async (body, state) => {
      await first.check(body, state);
      await second.check(body, state);
    },
  };
}
