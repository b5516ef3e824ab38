import { PAGE_LIMIT_DEFAULT } from './schemas.js';

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

/** A page of `items` (already in cursor order) after the item whose cursor is `startingAfter`. */
export function paginate<T>(items: Iterable<T>, cursorOf: (item: T) => string, query: { limit?: number; starting_after?: string }): Page<T> {
  const limit = query.limit ?? PAGE_LIMIT_DEFAULT;
  const data: T[] = [];
  let started = query.starting_after === undefined;
  for (const item of items) {
    if (!started) {
      started = cursorOf(item) === query.starting_after;
      continue;
    }
    if (data.length === limit) return { data, has_more: true };
    data.push(item);
  }
  return { data, has_more: false };
}

/** Entities in id order: the cursor order of every list keyed by id. */
export function sortedById<T extends { id: string }>(items: Iterable<T>): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
