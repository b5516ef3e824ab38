import { sha256Hex } from '../../chain/index.js';
import { chunksOf } from '../kit/bulk.js';
import type { AnyDatabase } from '../kit/database.js';
import { readPositions, readPrices, readRates, type Holding } from './holdings.js';
import type { ImportRow } from './tables.js';

/** A holding as stored: bigints as decimal strings. */
function encode(holding: Holding): string {
  return JSON.stringify(holding, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

function decode(body: string): Holding {
  const raw = JSON.parse(body) as Record<string, unknown>;
  return { ...raw, nominal: BigInt(raw['nominal'] as string), marketValue: BigInt(raw['marketValue'] as string) } as unknown as Holding;
}

/** The register as of its latest positions or prices import, with the latest FX rates. */
export interface Register {
  readonly version: number;
  readonly asOf: string;
  readonly holdings: readonly Holding[];
  readonly rates: ReadonlyMap<string, bigint>;
  readonly ratesVersion: number;
}

/**
 * Imports and reads the reserve register. Every import is a new version recorded with its
 * file's SHA-256; a positions file replaces the register, a price file revalues it (as a new
 * version), an FX file replaces the rates. A file with any bad cell changes nothing.
 */
export class RegisterStore {
  private cached: Register | undefined;

  constructor(private readonly db: AnyDatabase, private readonly nowMs: () => number) {}

  async import(kind: ImportRow['kind'], name: string, csv: string, asOf: string, by: string): Promise<ImportRow> {
    const current = kind === 'positions' ? undefined : await this.current();
    const holdings = kind === 'positions' ? readPositions(csv) : kind === 'prices' ? revalued(current!.holdings, readPrices(csv, new Set(current!.holdings.map((h) => h.instrumentId)))) : undefined;
    const rates = kind === 'fx' ? readRates(csv) : undefined;
    if (kind === 'prices' && current!.version === 0) throw new Error('no positions imported yet: a price file revalues the register');
    return this.db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom('reserves_imports').select((eb) => eb.fn.max('version').as('version')).executeTakeFirst() as { version: number | null } | undefined;
      const row: ImportRow = {
        version: Number(last?.version ?? 0) + 1, kind, name, sha256: sha256Hex(csv), rows: holdings?.length ?? rates?.size ?? 0, as_of: asOf, imported_by: by, imported_at_ms: this.nowMs(),
      };
      await trx.insertInto('reserves_imports').values(row).execute();
      for (const chunk of chunksOf(holdings ?? [])) {
        await trx.insertInto('reserves_holdings').values(chunk.map((h) => ({ version: row.version, instrument_id: h.instrumentId, body: encode(h) }))).execute();
      }
      if (rates !== undefined && rates.size > 0) await trx.insertInto('reserves_rates').values([...rates].map(([currency, rate]) => ({ version: row.version, currency, rate: rate.toString() }))).execute();
      this.cached = undefined;
      return row;
    });
  }

  /** The latest import's version: the register changed when it grows. */
  async latestVersion(): Promise<number> {
    const last = await this.db.selectFrom('reserves_imports').select((eb) => eb.fn.max('version').as('version')).executeTakeFirst() as { version: number | null } | undefined;
    return Number(last?.version ?? 0);
  }

  async current(): Promise<Register> {
    const latest = await this.latestVersion();
    if (this.cached !== undefined && Math.max(this.cached.version, this.cached.ratesVersion) === latest) return this.cached;
    const registerImport = await this.db.selectFrom('reserves_imports').selectAll().where('kind', 'in', ['positions', 'prices']).orderBy('version', 'desc').limit(1).executeTakeFirst() as ImportRow | undefined;
    const fxImport = await this.db.selectFrom('reserves_imports').selectAll().where('kind', '=', 'fx').orderBy('version', 'desc').limit(1).executeTakeFirst() as ImportRow | undefined;
    const rows = registerImport === undefined ? [] : await this.db.selectFrom('reserves_holdings').select('body').where('version', '=', registerImport.version).orderBy('instrument_id').execute() as { body: string }[];
    const rates = fxImport === undefined ? [] : await this.db.selectFrom('reserves_rates').selectAll().where('version', '=', fxImport.version).execute() as { currency: string; rate: string }[];
    this.cached = {
      version: registerImport?.version ?? 0, asOf: registerImport?.as_of ?? '1970-01-01', holdings: rows.map((r) => decode(r.body)),
      rates: new Map(rates.map((r) => [r.currency, BigInt(r.rate)])), ratesVersion: fxImport?.version ?? 0,
    };
    return this.cached;
  }

  /** The holdings of one register version (a report's), in instrument order. */
  async holdingsAt(version: number): Promise<Holding[]> {
    const rows = await this.db.selectFrom('reserves_holdings').select('body').where('version', '=', version).orderBy('instrument_id').execute() as { body: string }[];
    return rows.map((r) => decode(r.body));
  }

  async imports(limit: number): Promise<ImportRow[]> {
    return await this.db.selectFrom('reserves_imports').selectAll().orderBy('version', 'desc').limit(limit).execute() as ImportRow[];
  }
}

function revalued(holdings: readonly Holding[], prices: ReadonlyMap<string, bigint>): Holding[] {
  return holdings.map((h) => (prices.has(h.instrumentId) ? { ...h, marketValue: prices.get(h.instrumentId)! } : h));
}
