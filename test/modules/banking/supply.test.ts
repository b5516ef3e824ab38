import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { join } from 'node:path';
import pino from 'pino';
import { parseAmount } from '../../../src/core/index.js';
import { bankingModule } from '../../../src/modules/banking/index.js';
import { logSupplyChanges, mintsBetween, supplyAt } from '../../../src/modules/banking/supply.js';
import type { SupplyRow } from '../../../src/modules/banking/tables.js';
import { prepareModule, type PreparedModule } from '../../../src/modules/kit/host.js';
import { tempDir } from '../../helpers.js';
import { freshSchema, postgresSkip } from '../../postgres.js';

const skipPostgres = await postgresSkip();

const cents = (text: string): bigint => {
  const parsed = parseAmount(text, 2);
  if (!parsed.ok) throw new Error(`not an amount: ${text}`);
  return parsed.minor;
};
const change = (n: number, timeMs: number, kind: SupplyRow['kind'], amount: string): SupplyRow => ({
  position: `${n}:1:0`, time_ms: timeMs, kind, amount, transaction_id: `tx-${n}`, deposit_reference: kind === 'issued' ? `DEP-${n}` : null,
});

/**
 * The supply at a statement's cut-off is the sum of the token's supply changes up to it.
 * Summed from the first change at every statement, a reconciliation would read the whole
 * history of the token each day, for ever longer: the figure at each cut-off is kept and
 * the next one adds only the changes since, unless a change arrives late, before a kept
 * cut-off, which makes the figures from there wrong and forgotten.
 */
for (const store of ['sqlite', 'postgres'] as const) describe(`the supply at a cut-off (the module's tables in ${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'})`, { skip: store === 'postgres' && skipPostgres }, () => {
  const dir = tempDir();
  let schema: Awaited<ReturnType<typeof freshSchema>> | undefined;
  let prepared: PreparedModule;
  const log = async (rows: SupplyRow[]) => prepared.services.db.transaction().execute((trx) => logSupplyChanges(trx, rows));
  const supply = async (cutoff: number) => supplyAt(prepared.services.db, cutoff, cents);

  before(async () => {
    if (store === 'postgres') schema = await freshSchema('banking_supply');
    prepared = await prepareModule(bankingModule({ omnibusAccount: 'FMB-OMNIBUS-USD', asset: 'usd-fmb', staff: ['first-meridian'] }), schema === undefined ? { sqlite: join(dir.path, 'banking.sqlite') } : { postgres: schema.url }, pino({ level: 'silent' }));
  });
  after(async () => {
    await prepared?.close();
    await schema?.drop();
    dir.remove();
  });

  it('sums the changes up to each cut-off, and the next cut-off reads only the changes since the figure kept', async () => {
    await log([change(1, 1_000, 'issued', '10.00'), change(2, 2_000, 'redeemed', '3.00'), change(3, 3_000, 'issued', '5.00'), change(4, 4_000, 'issued', '0.50')]);
    assert.equal(await supply(2_000), 700n, 'a change at the cut-off counts');
    assert.equal(await supply(2_000), 700n, 'asked again, the same');
    // A change before the kept figure, altered behind the module's back, is not read again: the figure at 2,000 stands.
    await prepared.services.db.updateTable('banking_supply').set({ amount: '1000.00' }).where('position', '=', '1:1:0').execute();
    assert.equal(await supply(3_500), 1_200n);
    assert.equal(await supply(4_000), 1_250n);
    // An earlier cut-off than every kept figure is summed from the start (the altered change with it).
    assert.equal(await supply(1_500), 100_000n);
  });

  it('forgets the figures a late change makes wrong: one logged at or before a kept cut-off is counted there and after', async () => {
    await log([change(5, 3_500, 'issued', '2.00')]);
    // The figures kept at 3,500 and 4,000 are gone; the one at 2,000, before the late change, stands.
    assert.equal(await supply(3_500), 700n + 500n + 200n);
    assert.equal(await supply(4_000), 700n + 500n + 200n + 50n);
    // A page logged again adds nothing.
    await log([change(5, 3_500, 'issued', '2.00')]);
    assert.equal(await supply(4_000), 1_450n);
  });

  it('lists the mints of a period, oldest first, without the redemptions', async () => {
    assert.deepEqual((await mintsBetween(prepared.services.db, 1_000, 4_000)).map((mint) => [mint.time, mint.id, mint.depositReference, mint.amount]), [
      [3_000, 'tx-3', 'DEP-3', '5.00'], [3_500, 'tx-5', 'DEP-5', '2.00'], [4_000, 'tx-4', 'DEP-4', '0.50'],
    ]);
  });
});
