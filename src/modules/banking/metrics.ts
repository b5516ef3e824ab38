import { Counter, Gauge, type Registry } from 'prom-client';
import type { SelectQueryBuilder } from 'kysely';
import type { AnyDatabase } from '../kit/database.js';
import { perRegistry } from '../kit/per-registry.js';
import type { CreditOutcome } from './deposits.js';
import type { MintOutcome } from './minting.js';
import type { ReconciliationOutcome } from './reconcile.js';
import { BREAK_KINDS, type BreakKind } from './tables.js';

/** What the banking module tells its process's metrics: what the bank sent became of. */
export interface BankingMetrics {
  /** The credits of camt.054 notifications taken, by what became of each. */
  credits(outcomes: readonly CreditOutcome[]): void;
  /** The credits a stopped module left minting, finished since (minted, held, or refused and set aside in suspense). */
  resumed(outcomes: ReadonlyMap<string, MintOutcome>): void;
  /** A message from the bank refused and set aside with its reason. */
  setAside(): void;
  /** A statement reconciled: balanced with no break, with breaks, or received again. */
  statement(outcome: Pick<ReconciliationOutcome, 'duplicate' | 'reconciled'>): void;
}

const CREDIT_OUTCOMES = ['minted', 'held', 'duplicate', 'suspense', 'ignored'] as const satisfies readonly CreditOutcome['outcome'][];
const STATEMENT_RESULTS = ['reconciled', 'breaks', 'duplicate'] as const;

/** The credits waiting on someone: in suspense (the desk), held for a second approver (the policy's signers). */
const WAITING_CREDITS = ['suspense', 'held'] as const;

const NONE: BankingMetrics = { credits: () => undefined, resumed: () => undefined, setAside: () => undefined, statement: () => undefined };

/** The metrics on one registry, and the module's tables its gauges read (those of the module that last asked). */
interface OnRegistry { readonly metrics: BankingMetrics; tables: AnyDatabase | undefined }
const onRegistry = perRegistry(metricsOn);

/**
 * The banking module's figures on `registry` (none without one), so an operator sees
 * credits set aside or statements with breaks without opening the desk: alert on
 * `increase(depositum_banking_credits_total{outcome="suspense"}[1h]) > 0`,
 * `depositum_banking_messages_set_aside_total` and `{result="breaks"}`; and what is open
 * now, read from the module's tables `db` at each scrape (`depositum_banking_credits_waiting`,
 * `depositum_banking_breaks_open`, and the statements waiting for their remaining pages:
 * `depositum_banking_statements_incomplete`, `depositum_banking_statement_pages_waiting_seconds`):
 * alert while any stays above zero (the last, past the bank's usual delay between pages).
 */
export function bankingMetrics(registry: Registry | undefined, db: AnyDatabase): BankingMetrics {
  if (registry === undefined) return NONE;
  const on = onRegistry(registry);
  on.tables = db;
  return on.metrics;
}

function metricsOn(registry: Registry): OnRegistry {
  const registers = [registry];
  const credits = new Counter({ name: 'depositum_banking_credits_total', help: 'Credits of the bank\'s camt.054 notifications taken, by what became of them', labelNames: ['outcome'], registers });
  const setAside = new Counter({ name: 'depositum_banking_messages_set_aside_total', help: 'Messages from the bank refused and set aside with their reason', registers });
  const statements = new Counter({ name: 'depositum_banking_statements_total', help: 'Statements of the omnibus account reconciled, by result', labelNames: ['result'], registers });
  // Present from the start, at zero: an alert on an increase needs the series before it.
  for (const outcome of CREDIT_OUTCOMES) credits.inc({ outcome }, 0);
  for (const result of STATEMENT_RESULTS) statements.inc({ result }, 0);
  setAside.inc(0);
  const metrics: BankingMetrics = {
    credits: (outcomes) => {
      for (const { outcome } of outcomes) credits.inc({ outcome });
    },
    resumed: (outcomes) => {
      for (const { outcome } of outcomes.values()) credits.inc({ outcome: outcome === 'refused' ? 'suspense' : outcome });
    },
    setAside: () => setAside.inc(),
    statement: ({ duplicate, reconciled }) => statements.inc({ result: duplicate ? 'duplicate' : reconciled ? 'reconciled' : 'breaks' }),
  };
  const on: OnRegistry = { metrics, tables: undefined };
  openGauges(registers, () => on.tables);
  return on;
}

/**
 * What waits on the bank's staff now, counted at each scrape. A query that fails (the
 * database being failed over, the module closing) leaves the last figures: a scrape never
 * fails for it.
 */
function openGauges(registers: Registry[], tables: () => AnyDatabase | undefined): void {
  new Gauge({
    name: 'depositum_banking_credits_waiting', help: 'Credits of the bank not minted and waiting on someone: in suspense (the desk) or held for approval', labelNames: ['status'], registers,
    async collect() {
      const counts = await countsBy(tables(), 'status', (db) => db.selectFrom('banking_credits').where('status', 'in', WAITING_CREDITS));
      if (counts !== undefined) for (const status of WAITING_CREDITS) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  const kinds = Object.keys(BREAK_KINDS) as BreakKind[];
  new Gauge({
    name: 'depositum_banking_breaks_open', help: 'Reconciliation breaks open (not resolved with a note), by kind', labelNames: ['kind'], registers,
    async collect() {
      const counts = await countsBy(tables(), 'kind', (db) => db.selectFrom('banking_breaks').where('status', '=', 'open'));
      if (counts !== undefined) for (const kind of kinds) this.set({ kind }, counts.get(kind) ?? 0);
    },
  });
  new Gauge({
    name: 'depositum_banking_statements_incomplete', help: 'Statements the bank sent in pages that wait for pages not yet received (kept, not reconciled)', registers,
    async collect() {
      const waiting = await pagesWaiting(tables());
      if (waiting !== undefined) this.set(waiting.statements);
    },
  });
  new Gauge({
    name: 'depositum_banking_statement_pages_waiting_seconds', help: 'How long the oldest page of a statement still incomplete has waited for the rest (0 when none waits)', registers,
    async collect() {
      const waiting = await pagesWaiting(tables());
      if (waiting !== undefined) this.set(waiting.oldestMs === null ? 0 : Math.max(0, Date.now() - waiting.oldestMs) / 1000);
    },
  });
}

/** The statements kept in part (pages whose statement is not made yet), and when the oldest of their pages came; undefined when the query fails. */
async function pagesWaiting(db: AnyDatabase | undefined): Promise<{ statements: number; oldestMs: number | null } | undefined> {
  if (db === undefined) return undefined;
  try {
    const row = await db.selectFrom('banking_statement_pages as p')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('banking_statements as s').select('s.statement_id').whereRef('s.statement_id', '=', 'p.statement_id'))))
      .select([db.fn.count('p.statement_id').distinct().as('statements'), db.fn.min('p.received_at_ms').as('oldest')])
      .executeTakeFirst() as { statements: unknown; oldest: unknown } | undefined;
    return { statements: Number(row?.statements ?? 0), oldestMs: row?.oldest === null || row?.oldest === undefined ? null : Number(row.oldest) };
  } catch {
    return undefined;
  }
}

/** A query over the module's tables (which the kit types as any). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type TableQuery = SelectQueryBuilder<any, any, object>;

/** The rows `from` selects, counted by `column`; undefined when the query fails (or there are no tables yet). */
async function countsBy(db: AnyDatabase | undefined, column: string, from: (db: AnyDatabase) => TableQuery): Promise<Map<string, number> | undefined> {
  if (db === undefined) return undefined;
  try {
    const rows = await from(db).select([column, db.fn.countAll().as('n')]).groupBy(column).execute() as Record<string, unknown>[];
    return new Map(rows.map((row) => [String(row[column]), Number(row['n'])]));
  } catch {
    return undefined;
  }
}
