import { sql, type Migration } from 'kysely';
import type { AnyDatabase } from './database.js';

/**
 * The kit's own tables, shared by every module in one database: where each module has
 * read the feed up to, who runs it now, and the signed requests its routes have honoured.
 */
export const KIT_MIGRATIONS: Record<string, Migration> = {
  '0001_offsets_leases_claims': {
    up: async (db) => {
      await db.schema.createTable('kit_offsets')
        .addColumn('module', 'text', (c) => c.primaryKey())
        .addColumn('position', 'text', (c) => c.notNull())
        .addColumn('events', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('kit_leases')
        .addColumn('module', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createTable('kit_request_claims')
        .addColumn('digest', 'text', (c) => c.primaryKey())
        .addColumn('expires_at_ms', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
};

/** The feed's position a module has handled up to (null: from the start), and how many events it has handled. */
export async function readOffset(db: AnyDatabase, module: string): Promise<{ position: string | null; events: number }> {
  const row = await db.selectFrom('kit_offsets').select(['position', 'events']).where('module', '=', module).executeTakeFirst() as { position: string; events: number } | undefined;
  return row === undefined ? { position: null, events: 0 } : row;
}

/**
 * Moves the offset from `from` to `to` inside the transaction that records the event's
 * effects. Compare-and-set: if another runner moved it meanwhile (a lease lost during a
 * pause), nothing of this transaction is kept.
 */
export async function advanceOffset(trx: AnyDatabase, module: string, from: string | null, to: string, handled = 1): Promise<boolean> {
  if (from === null) {
    const inserted = await trx.insertInto('kit_offsets').values({ module, position: to, events: handled })
      .onConflict((oc) => oc.column('module').doNothing()).executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const updated = await trx.updateTable('kit_offsets')
    .set({ position: to, events: sql`events + ${handled}` })
    .where('module', '=', module).where('position', '=', from)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/**
 * Takes or renews the module's lease for `holder` until `untilMs`: granted when free,
 * expired or already ours. Only the holder follows the feed and does background work,
 * so two processes running one module do not both send.
 */
export async function holdLease(db: AnyDatabase, module: string, holder: string, nowMs: number, untilMs: number): Promise<boolean> {
  await db.insertInto('kit_leases').values({ module, holder, expires_at_ms: untilMs })
    .onConflict((oc) => oc.column('module').doUpdateSet({ holder, expires_at_ms: untilMs })
      .where((eb) => eb.or([eb('kit_leases.holder', '=', holder), eb('kit_leases.expires_at_ms', '<', nowMs)])))
    .execute();
  const row = await db.selectFrom('kit_leases').select('holder').where('module', '=', module).executeTakeFirst() as { holder: string } | undefined;
  return row?.holder === holder;
}

export async function releaseLease(db: AnyDatabase, module: string, holder: string): Promise<void> {
  await db.deleteFrom('kit_leases').where('module', '=', module).where('holder', '=', holder).execute();
}

/** True the first time a signed request's digest is claimed (see the node's claims); expired claims are swept as it goes. */
export async function claimRequest(db: AnyDatabase, digest: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
  await db.deleteFrom('kit_request_claims').where('expires_at_ms', '<', nowMs).execute();
  const inserted = await db.insertInto('kit_request_claims').values({ digest, expires_at_ms: expiresAtMs })
    .onConflict((oc) => oc.column('digest').doNothing()).executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
}
