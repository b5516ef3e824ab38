import type { LedgerEvent } from '../../sdk/index.js';
import type { LedgerModule, ModuleContext, Recorder } from '../kit/module.js';
import { providerFromEnvironment } from './draft/providers.js';
import { tradeRoutes } from './routes.js';
import { TRADE_MIGRATIONS, type SignatureRow } from './tables.js';

/**
 * The trade module: B2B agreements drafted from the buyer's and seller's conversation,
 * versioned and rendered for reading, signed on the ledger by hash by both parties, and
 * funded as one conditional payment (a tranche per milestone) that attestations release.
 * It keeps the documents; the ledger keeps the hashes and moves the money.
 */
export function tradeModule(): LedgerModule {
  const provider = providerFromEnvironment();

  async function handle(event: LedgerEvent, _context: ModuleContext): Promise<Recorder | undefined> {
    if (event.type !== 'agreement_signed') return undefined;
    const row: SignatureRow = {
      position: event.position, agreement: String(event.data['agreement']), version: Number(event.data['version']), hash: String(event.data['hash']),
      signed_by: String(event.data['by']), concluded: event.data['concluded'] === true ? 1 : 0, transaction_id: event.transaction?.id ?? null, time_ms: event.timeMs,
    };
    return async (trx) => {
      await trx.insertInto('trade_signatures').values(row).onConflict((oc) => oc.column('position').doNothing()).execute();
    };
  }

  return {
    name: 'trade',
    description: `trade agreements drafted from conversations (${provider.name}), signed on the ledger by hash, funded as milestone escrow`,
    roles: ['reader'],
    migrations: TRADE_MIGRATIONS,
    eventTypes: ['agreement_signed'],
    handle,
    routes: (services, callerOf) => tradeRoutes(services, callerOf, provider),
  };
}
