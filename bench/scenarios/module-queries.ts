import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import type { AnyDatabase } from '../../src/modules/kit/database.js';
import { keepingStatements } from '../../src/modules/kit/kept-statements.js';
import { TurningSqliteDialect } from '../../src/modules/kit/turning-sqlite.js';
import { summarize, type Figures } from '../stats.js';

const ROWS = 20_000;
const KEYS_PER_IN = 400;

/** A module's table of credits, as the kit opens a module's SQLite database: with its statements kept, or prepared anew each query (Kysely's own). */
async function moduleTable(dir: string, kept: boolean): Promise<AnyDatabase> {
  const database = new Database(join(dir, `${kept ? 'kept' : 'plain'}-${Math.random().toString(36).slice(2)}.sqlite`));
  database.pragma('journal_mode = WAL');
  const db: AnyDatabase = new Kysely({ dialect: new TurningSqliteDialect({ database: kept ? keepingStatements(database) : database }) });
  await db.schema.createTable('bench_credits').addColumn('entry_key', 'text', (c) => c.primaryKey()).addColumn('status', 'text').addColumn('amount', 'text').execute();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < ROWS; i += 500) await trx.insertInto('bench_credits').values(Array.from({ length: 500 }, (_, j) => ({ entry_key: `K${i + j}`, status: 'minting', amount: '1.00' }))).execute();
  });
  return db;
}

/** µs a query: `lookups` point lookups by key, then the rows again by `IN` lists of KEYS_PER_IN keys. */
async function timed(db: AnyDatabase, lookups: number): Promise<{ point: number; list: number }> {
  let started = performance.now();
  for (let i = 0; i < lookups; i += 1) await db.selectFrom('bench_credits').select(['entry_key', 'status']).where('entry_key', '=', `K${i % ROWS}`).execute();
  const point = (performance.now() - started) * 1000 / lookups;
  started = performance.now();
  const lists = ROWS / KEYS_PER_IN;
  for (let i = 0; i < ROWS; i += KEYS_PER_IN) await db.selectFrom('bench_credits').select(['entry_key', 'status']).where('entry_key', 'in', Array.from({ length: KEYS_PER_IN }, (_, j) => `K${i + j}`)).execute();
  return { point, list: (performance.now() - started) * 1000 / lists };
}

/**
 * A module's queries on its SQLite database, with the kit's kept statements against
 * Kysely's statement prepared per query: after a round that warms both up, rounds
 * alternate the two (and their order) so a noisy host slows them alike; medians are kept.
 */
export async function moduleQueriesScenario(options: { lookups: number; rounds: number }): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'depositum-bench-queries-'));
  try {
    const figures = { kept: [] as { point: number; list: number }[], plain: [] as { point: number; list: number }[] };
    let seconds = 0;
    // Round -1 warms both up (compiled code, the page cache) and is not kept; the order alternates.
    for (let round = -1; round < options.rounds; round += 1) {
      for (const kept of round % 2 === 0 ? [true, false] : [false, true]) {
        const db = await moduleTable(dir, kept);
        const started = performance.now();
        const figure = await timed(db, options.lookups);
        await db.destroy();
        if (round < 0) continue;
        (kept ? figures.kept : figures.plain).push(figure);
        if (kept) seconds += (performance.now() - started) / 1000;
      }
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const of = (runs: { point: number; list: number }[]) => ({ point: median(runs.map((r) => r.point)), list: median(runs.map((r) => r.list)) });
    const [kept, plain] = [of(figures.kept), of(figures.plain)];
    return summarize({
      scenario: 'module-queries', ops: (options.lookups + ROWS / KEYS_PER_IN) * options.rounds, seconds, latenciesMs: new Float64Array(0), cpuS: seconds, ok: true,
      target: 'kept statements faster than prepared per query', met: () => kept.point < plain.point,
      note: `µs a query, medians of ${options.rounds} alternating rounds: a point lookup ${kept.point.toFixed(1)} kept against ${plain.point.toFixed(1)} prepared each time; an IN of ${KEYS_PER_IN} keys ${kept.list.toFixed(0)} against ${plain.list.toFixed(0)}`,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
