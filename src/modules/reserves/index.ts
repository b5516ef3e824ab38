import type { DepositumClient, LedgerEvent } from '../../sdk/index.js';
import type { LedgerModule, ModuleContext, Recorder } from '../kit/module.js';
import { coinOf, ReportDesk } from './desk.js';
import { profileNamed, type Profile } from './profiles.js';
import { RegisterStore } from './register.js';
import { reservesRoutes } from './routes.js';
import type { ReservesSettings } from './settings.js';
import { RESERVES_MIGRATIONS } from './tables.js';
import { ReserveWatch } from './watch.js';

/** The events the coin's reserve manager is shown that change its supply or its throttle. */
const SUPPLY_EVENTS = ['issued', 'redeemed', 'minting_throttled', 'minting_throttle_lifted'];

/** The profile with the settings' own levels, where they give them. */
export function profileOf(settings: ReservesSettings): Profile {
  const base = profileNamed(settings.profile);
  return { ...base, warningBp: settings.warningBp ?? base.warningBp, stopBp: settings.stopBp ?? base.stopBp };
}

/**
 * The reserves module: the register of a stablecoin's reserve assets (imported from
 * custodian files), its rules under a regulator's profile, stress tests, rebalancing
 * proposals, and an early warning that throttles minting on the ledger when coverage or
 * liquidity falls, as the coin's appointed reserve manager. It attests each day's report on
 * the chain. It never trades and never touches redemptions.
 */
export function reservesModule(settings: ReservesSettings): LedgerModule {
  const profile = profileOf(settings);
  const state = new WeakMap<object, { register: RegisterStore; watch: ReserveWatch; desk: ReportDesk; seen: number; dirty: boolean }>();
  const partsFor = (context: { db: object } & Pick<ModuleContext, 'db' | 'nowMs'>) => {
    let parts = state.get(context.db);
    if (parts === undefined) {
      const register = new RegisterStore(context.db, context.nowMs);
      parts = { register, watch: new ReserveWatch(context.db, register, profile, settings.asset, context.nowMs), desk: new ReportDesk(context.db, register, profile, settings.asset, context.nowMs), seen: -1, dirty: true };
      state.set(context.db, parts);
    }
    return parts;
  };

  /** A supply change marks the watch for a look at the end of the page: one look per page of the feed, at the live supply. */
  async function handle(event: LedgerEvent, context: ModuleContext): Promise<Recorder | undefined> {
    if (event.data['asset'] === settings.asset) partsFor(context).dirty = true;
    return undefined;
  }

  async function look(context: ModuleContext, client: DepositumClient): Promise<void> {
    const parts = partsFor(context);
    const version = await parts.register.latestVersion();
    if (!parts.dirty && version === parts.seen) return;
    parts.dirty = false;
    parts.seen = version;
    const outcome = await parts.watch.look(client, await coinOf(client, settings.asset));
    if (outcome.action !== 'none') context.log.warn({ asset: settings.asset, ...outcome }, `reserves: ${outcome.action === 'lift' ? 'coverage restored, minting throttle lifted' : `coverage or liquidity below the ${outcome.level} level, minting throttled`}`);
  }

  async function work(context: ModuleContext): Promise<void> {
    const parts = partsFor(context);
    try {
      await look(context, context.client);
    } catch (error) {
      // Looked at again next round; the reports still go out meanwhile.
      parts.dirty = true;
      context.log.error({ err: error, asset: settings.asset }, 'reserves: the early warning could not look at the reserves');
    }
    if (settings.attestDaily !== false) await parts.desk.scheduleDaily();
    await parts.desk.carryOut(context.client);
  }

  return {
    name: 'reserves',
    description: `reserves of ${settings.asset} under the ${profile.name} profile: register, rules, stress tests, rebalancing, an early warning that throttles minting, daily attestations`,
    roles: ['reserve_manager'],
    migrations: RESERVES_MIGRATIONS,
    eventTypes: SUPPLY_EVENTS,
    handle,
    work,
    routes: (services, callerOf) => reservesRoutes(services, callerOf, settings, profile, partsFor(services)),
  };
}
