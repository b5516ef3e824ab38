import type { AnyDatabase } from '../kit/database.js';
import type { EndpointRow } from './tables.js';

/** How stale the list may be for an endpoint registered by another process (this one's routes refresh it at once). */
const REFRESH_MS = 1_000;

export interface ActiveEndpoint {
  readonly row: EndpointRow;
  /** Null: every event type. */
  readonly types: ReadonlySet<string> | null;
}

/**
 * The enabled endpoints, read once per second at most instead of once per event; the
 * module's own routes drop the copy when they create or disable one.
 */
export class EndpointCache {
  private active: ActiveEndpoint[] | null = null;
  private readAtMs = 0;

  invalidate(): void {
    this.active = null;
  }

  async enabled(db: AnyDatabase, nowMs: number): Promise<readonly ActiveEndpoint[]> {
    if (this.active !== null && nowMs - this.readAtMs < REFRESH_MS) return this.active;
    const rows = await db.selectFrom('notifier_endpoints').selectAll().where('enabled', '=', 1).execute() as EndpointRow[];
    this.active = rows.map((row) => {
      const types = JSON.parse(row.types) as string[];
      return { row, types: types.length === 0 ? null : new Set(types) };
    });
    this.readAtMs = nowMs;
    return this.active;
  }
}
