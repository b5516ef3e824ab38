import type { LedgerEvent } from '../../sdk/index.js';
import type { LedgerModule, ModuleContext, Recorder } from '../kit/module.js';
import { Audience } from './audience.js';
import { DELIVERY_DEFAULTS, deliverDue, deliveryId, type DeliveryOptions } from './delivery.js';
import { EndpointCache } from './endpoints.js';
import { notifierRoutes } from './routes.js';
import { NOTIFIER_MIGRATIONS, type DeliveryRow, type EndpointRow } from './tables.js';

/** The position "height:index:n" as the numbers deliveries are ordered by. */
function positionParts(position: string): [number, number, number] {
  const [height, index, n] = position.split(':').map(Number);
  return [height ?? 0, index ?? 0, n ?? 0];
}

/**
 * Webhooks: participants register endpoints; every event an endpoint's owner may see,
 * of the types it asked for, committed from the endpoint's registration on (block time
 * against the module's clock), becomes one delivery (one per endpoint and event, recorded
 * with the feed's offset), POSTed signed, retried with back-off, in order per endpoint.
 */
export function notifierModule(options: Partial<DeliveryOptions> = {}): LedgerModule {
  const settings: DeliveryOptions = { ...DELIVERY_DEFAULTS, ...options };
  const audiences = new WeakMap<ModuleContext['client'], Audience>();
  const endpoints = new EndpointCache();

  async function handle(event: LedgerEvent, context: ModuleContext): Promise<Recorder | undefined> {
    let audience = audiences.get(context.client);
    if (audience === undefined) audiences.set(context.client, audience = new Audience(context.client));
    audience.observe(event);
    const targets: EndpointRow[] = [];
    for (const { row, types } of await endpoints.enabled(context.db, context.nowMs())) {
      // From its registration on: an event committed before it (and followed late, the module behind the feed) is not sent.
      if (event.timeMs < Number(row.created_at_ms)) continue;
      if ((types === null || types.has(event.type)) && await audience.maySee(row.owner, event)) targets.push(row);
    }
    if (targets.length === 0) return undefined;
    const [height, eventIndex, eventN] = positionParts(event.position);
    const nowMs = context.nowMs();
    const rows: DeliveryRow[] = targets.map((endpoint) => {
      const id = deliveryId(endpoint.id, event.position);
      return {
        id, endpoint_id: endpoint.id, height, event_index: eventIndex, event_n: eventN, position: event.position, event_type: event.type,
        payload: JSON.stringify({ id, endpoint: endpoint.id, event }),
        status: 'pending', attempts: 0, next_attempt_at_ms: nowMs, first_attempt_at_ms: null,
        last_status_code: null, last_error: null, delivered_at_ms: null, created_at_ms: nowMs,
      };
    });
    return async (trx) => {
      await trx.insertInto('notifier_deliveries').values(rows).onConflict((oc) => oc.columns(['endpoint_id', 'position']).doNothing()).execute();
    };
  }

  return {
    name: 'notifier',
    description: 'webhooks: signed deliveries of the events each endpoint\'s owner may see, retried, in order',
    roles: ['reader'],
    migrations: NOTIFIER_MIGRATIONS,
    handle,
    work: (context) => deliverDue(context.db, settings, context.nowMs),
    routes: (services, callerOf) => notifierRoutes(services, callerOf, settings, endpoints),
  };
}
