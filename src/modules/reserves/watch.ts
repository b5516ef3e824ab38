import { sha256Hex } from '../../chain/index.js';
import type { DepositumClient } from '../../sdk/index.js';
import type { AnyDatabase } from '../kit/database.js';
import { levelAt, type Coin, type Level } from './assess.js';
import { money, percent, toAssetMinor, fromAssetMinor } from './money.js';
import { totalsOf, valueRegister, type Totals } from './portfolio.js';
import type { Profile } from './profiles.js';
import type { RegisterStore } from './register.js';
import type { WatchRow } from './tables.js';
import { formatAmount } from '../../core/index.js';
import { submitOnce } from '../kit/submit-once.js';

/** What the ledger says of the asset's reserves: the throttle in force and its minters. */
interface LedgerReserves { supply: string; manager: string | null; throttle: { ceiling: string } | null; minters?: { minter: string; remaining: string; withheld: string }[] }

/** Where the watch stands after a look: the level, the ratios, and what it did on the ledger. */
export interface WatchOutcome {
  readonly level: Level;
  readonly coverage: string;
  readonly liquidity: string;
  readonly action: 'none' | 'throttle' | 'lift';
  readonly transaction: string | null;
}

/**
 * The early warning. On every change of supply (the feed) and of the register (an import)
 * it sets coverage and liquidity against the profile's levels and makes the ledger agree:
 * below the warning level each minter may mint only what keeps the reserves at the stop
 * level (shared among them), below the stop level nothing; at or above the warning level
 * the throttle is lifted. The ledger enforces the throttle on its own, so it holds when the
 * module stops; redemptions are never throttled.
 */
/** The coin as the watch last read it from the ledger (the routes answer with it), or undefined before the first look. */
export async function lastCoin(db: AnyDatabase, asset: string): Promise<Coin | undefined> {
  const row = await db.selectFrom('reserves_coin').selectAll().where('asset', '=', asset).executeTakeFirst() as { currency: string; decimals: number; supply_minor: string } | undefined;
  return row === undefined ? undefined : { asset, currency: row.currency, decimals: Number(row.decimals), supplyMinor: BigInt(row.supply_minor) };
}

/** The coin's reserve manager as the ledger named it at the watch's last look (null before it, or with none appointed). */
export async function lastManager(db: AnyDatabase, asset: string): Promise<string | null> {
  const row = await db.selectFrom('reserves_coin').select('manager').where('asset', '=', asset).executeTakeFirst() as { manager: string | null } | undefined;
  return row?.manager ?? null;
}

export class ReserveWatch {
  private totals: { version: number; totals: Totals } | undefined;

  constructor(
    private readonly db: AnyDatabase,
    private readonly register: RegisterStore,
    private readonly profile: Profile,
    private readonly asset: string,
    private readonly nowMs: () => number,
  ) {}

  /** The register's totals, valued once per version (a supply change recomputes two ratios, not the register). */
  private async currentTotals(currency: string): Promise<{ version: number; totals: Totals }> {
    const register = await this.register.current();
    const version = Math.max(register.version, register.ratesVersion);
    if (this.totals?.version !== version) {
      const valued = valueRegister(register.holdings, this.profile, { currency, asOfMs: Date.parse(`${register.asOf}T00:00:00Z`), rates: register.rates });
      this.totals = { version, totals: totalsOf(valued, currency) };
    }
    return this.totals;
  }

  async look(client: DepositumClient, coin: Coin): Promise<WatchOutcome> {
    const { version, totals } = await this.currentTotals(coin.currency);
    const supply = fromAssetMinor(coin.supplyMinor, coin.decimals);
    const { level, coverageBp, liquidityBp } = levelAt(totals, supply, this.profile);
    const onLedger = await client.request<LedgerReserves>('GET', `/v1/assets/${this.asset}/reserves`);
    const read = { asset: coin.asset, currency: coin.currency, decimals: coin.decimals, supply_minor: coin.supplyMinor.toString(), manager: onLedger.manager, read_at_ms: this.nowMs() };
    await this.db.insertInto('reserves_coin').values(read).onConflict((oc) => oc.column('asset').doUpdateSet({ supply_minor: read.supply_minor, manager: read.manager, read_at_ms: read.read_at_ms })).execute();
    const minters = Math.max(1, onLedger.minters?.length ?? 1);
    const ceilingMinor = level === 'stop' ? 0n : toAssetMinor((totals.eligible * 10_000n) / BigInt(this.profile.stopBp) - supply, coin.decimals) / BigInt(minters);
    const ceiling = formatAmount(ceilingMinor < 0n ? 0n : ceilingMinor, coin.decimals);
    // An ISO 20022 reference (35 characters, no %): the ratios in percent and the register version.
    const reason = `cov ${percent(coverageBp).replace('%', '').replace('∞', 'inf')} liq ${percent(liquidityBp).replace('%', '').replace('∞', 'inf')} v${version}`.slice(0, 35);
    let action: WatchOutcome['action'] = 'none';
    if (level === 'clear' && onLedger.throttle !== null) action = 'lift';
    // Throttled once per level and register version: minting spends the capped allowance on its own.
    if (level !== 'clear' && (onLedger.throttle === null || (await this.lastAction()) !== `throttle:${level}:${version}`)) action = 'throttle';
    let transaction: string | null = null;
    if (action !== 'none') {
      const id = `reserves-${action}-${sha256Hex(`${this.asset}:${level}:${version}:${coin.supplyMinor}`).slice(0, 24)}`;
      const operation = action === 'lift' ? { type: 'lift_minting_throttle' as const, asset: this.asset, reason } : { type: 'throttle_minting' as const, asset: this.asset, ceiling, reason };
      const outcome = await submitOnce(client, operation, id, 'reserves early warning');
      if (outcome.status === 'rejected') throw new Error(`the ledger refused ${action} of ${this.asset}: ${outcome.code}: ${outcome.message}`);
      transaction = id;
    }
    const row: WatchRow = {
      id: `${this.nowMs()}-${version}-${coin.supplyMinor}`, at_ms: this.nowMs(), level, coverage: percent(coverageBp), liquidity: percent(liquidityBp), supply: money(supply),
      register_version: version, action: action === 'throttle' ? `throttle:${level}:${version}` : action, transaction_hash: transaction,
    };
    if (action !== 'none') await this.db.insertInto('reserves_watch').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
    return { level, coverage: row.coverage, liquidity: row.liquidity, action, transaction };
  }

  private async lastAction(): Promise<string | undefined> {
    const last = await this.db.selectFrom('reserves_watch').select('action').orderBy('at_ms', 'desc').limit(1).executeTakeFirst() as { action: string } | undefined;
    return last?.action;
  }
}
