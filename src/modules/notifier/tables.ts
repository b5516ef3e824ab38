import type { Migration } from 'kysely';

/** The notifier's tables: endpoints participants registered, one delivery per (endpoint, event), every attempt. */
export const NOTIFIER_MIGRATIONS: Record<string, Migration> = {
  '0001_endpoints_deliveries_attempts': {
    up: async (db) => {
      await db.schema.createTable('notifier_endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('types', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notifier_endpoints_owner').on('notifier_endpoints').column('owner').execute();
      await db.schema.createTable('notifier_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        // The event's position split in numbers, so deliveries sort in feed order.
        .addColumn('height', 'bigint', (c) => c.notNull())
        .addColumn('event_index', 'integer', (c) => c.notNull())
        .addColumn('event_n', 'integer', (c) => c.notNull())
        .addColumn('position', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at_ms', 'bigint', (c) => c.notNull())
        .addColumn('first_attempt_at_ms', 'bigint')
        .addColumn('last_status_code', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at_ms', 'bigint')
        .addColumn('created_at_ms', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('notifier_deliveries_once', ['endpoint_id', 'position'])
        .execute();
      await db.schema.createIndex('notifier_deliveries_queue').on('notifier_deliveries').columns(['endpoint_id', 'status', 'height', 'event_index', 'event_n']).execute();
      await db.schema.createTable('notifier_attempts')
        .addColumn('delivery_id', 'text', (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addColumn('manual', 'integer', (c) => c.notNull())
        .addColumn('status_code', 'integer')
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('notifier_attempts_pk', ['delivery_id', 'attempt'])
        .execute();
    },
  },
};

export interface EndpointRow {
  id: string;
  owner: string;
  url: string;
  /** JSON array of event types; empty: every type. */
  types: string;
  secret: string;
  enabled: number;
  created_at_ms: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  height: number;
  event_index: number;
  event_n: number;
  position: string;
  event_type: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at_ms: number;
  first_attempt_at_ms: number | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at_ms: number | null;
  created_at_ms: number;
}

export interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at_ms: number;
  manual: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}
