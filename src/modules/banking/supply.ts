import { chunksOf } from '../kit/bulk.js';
import type { SelectQueryBuilder } from 'kysely';
import type { AnyDatabase } from '../kit/database.js';
import type { SupplyRow } from './tables.js';

/** A query selecting transaction ids (over the module's tables, which the kit types as any). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TransactionIds = SelectQueryBuilder<any, any, { transaction_id: string | null }>;

/** A mint as reconciliation looks at it: when, by which transaction, for which deposit, how much. */
export interface Mint { readonly time: number; readonly id: string | null; readonly depositReference: string | null; readonly amount: string }

/**
 * Logs changes of the token's supply (a page of the feed; a page logged again adds nothing).
 * A change at or before the cut-off of a kept supply figure (the feed reached that moment
 * only after the figure was taken) makes that figure wrong: it is forgotten, and summed
 * again the next time it is asked for.
 */
export async function logSupplyChanges(trx: AnyDatabase, rows: readonly SupplyRow[]): Promise<void> {
  if (rows.length === 0) return;
  for (const chunk of chunksOf(rows)) await trx.insertInto('banking_supply').values(chunk).onConflict((oc) => oc.column('position').doNothing()).execute();
  const earliest = rows.reduce((min, row) => Math.min(min, Number(row.time_ms)), Number.POSITIVE_INFINITY);
  await trx.deleteFrom('banking_supply_checkpoints').where('cutoff_ms', '>=', earliest).execute();
}

/**
 * The supply at a moment, in minor units: the figure kept at the latest earlier cut-off
 * plus the changes since, then kept at this one. A statement a day thus reads one day's
 * changes, not the whole history of the token (which grows without end).
 * Nothing is logged while this runs: the module's runner follows the feed and then works,
 * one after the other.
 */
export async function supplyAt(db: AnyDatabase, cutoff: number, minor: (text: string) => bigint): Promise<bigint> {
  const kept = await db.selectFrom('banking_supply_checkpoints').select(['cutoff_ms', 'supply_minor']).where('cutoff_ms', '<=', cutoff)
    .orderBy('cutoff_ms', 'desc').limit(1).executeTakeFirst() as { cutoff_ms: number; supply_minor: string } | undefined;
  let changes = db.selectFrom('banking_supply').select(['kind', 'amount']).where('time_ms', '<=', cutoff);
  if (kept !== undefined) changes = changes.where('time_ms', '>', Number(kept.cutoff_ms));
  let supply = kept === undefined ? 0n : BigInt(kept.supply_minor);
  for (const row of await changes.execute() as Pick<SupplyRow, 'kind' | 'amount'>[]) supply += row.kind === 'issued' ? minor(row.amount) : -minor(row.amount);
  if (kept === undefined || Number(kept.cutoff_ms) !== cutoff) {
    await db.insertInto('banking_supply_checkpoints').values({ cutoff_ms: cutoff, supply_minor: supply.toString() })
      .onConflict((oc) => oc.column('cutoff_ms').doUpdateSet({ supply_minor: supply.toString() })).execute();
  }
  return supply;
}

/**
 * The mints by `cutoff` of the given transactions (a transaction mints many deposits, each
 * its own row): a list of ids, or a query that selects them (one statement, however many).
 */
export async function mintsOf(db: AnyDatabase, cutoff: number, transactions: readonly string[] | TransactionIds): Promise<Mint[]> {
  const select = (ids: readonly string[] | TransactionIds) => db.selectFrom('banking_supply').select(['time_ms', 'transaction_id', 'deposit_reference', 'amount'])
    .where('kind', '=', 'issued').where('time_ms', '<=', cutoff).where('transaction_id', 'in', ids).execute() as Promise<Pick<SupplyRow, 'time_ms' | 'transaction_id' | 'deposit_reference' | 'amount'>[]>;
  if (!Array.isArray(transactions)) return (await select(transactions as TransactionIds)).map(mintOf);
  const mints: Mint[] = [];
  for (const part of chunksOf([...new Set(transactions)])) for (const row of await select(part)) mints.push(mintOf(row));
  return mints;
}

/** The mints after `from` and by `to`. */
export async function mintsBetween(db: AnyDatabase, from: number, to: number): Promise<Mint[]> {
  const rows = await db.selectFrom('banking_supply').select(['time_ms', 'transaction_id', 'deposit_reference', 'amount'])
    .where('kind', '=', 'issued').where('time_ms', '>', from).where('time_ms', '<=', to).orderBy('time_ms').execute() as Pick<SupplyRow, 'time_ms' | 'transaction_id' | 'deposit_reference' | 'amount'>[];
  return rows.map(mintOf);
}

function mintOf(row: Pick<SupplyRow, 'time_ms' | 'transaction_id' | 'deposit_reference' | 'amount'>): Mint {
  return { time: Number(row.time_ms), id: row.transaction_id, depositReference: row.deposit_reference, amount: row.amount };
}
