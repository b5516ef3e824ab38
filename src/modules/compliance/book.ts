import { statSync } from 'node:fs';
import { readListAt } from './screening/load.js';
import { diffLists, listOf, type ListDiff, type SanctionsList } from './screening/lists.js';
import { Screener } from './screening/screener.js';
import type { ThresholdSettings } from './screening/thresholds.js';

/** A list file as last read: its modification time tells when to read it again. */
interface Loaded {
  readonly path: string;
  readonly mtimeMs: number;
  readonly list: SanctionsList;
}

/** What a reread found: a list whose version changed, what changed, and an index of just that. */
export interface ListUpdate {
  readonly path: string;
  readonly list: SanctionsList;
  readonly diff: ListDiff;
  readonly first: boolean;
  /** The added and changed entries alone: every participant is screened against these. */
  readonly changes: Screener;
}

function modified(path: string): number {
  // A directory (OFAC's four files) changes when any of its files does: the newest of them.
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(...['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'].map((file) => {
    try {
      return statSync(`${path}/${file}`).mtimeMs;
    } catch {
      return 0;
    }
  }));
}

/**
 * The lists the module screens against, kept current: `refresh()` rereads a file whose
 * modification time moved, and a new version replaces the old with its diff. A file that
 * no longer reads keeps its last good version (and the error is the caller's to log).
 */
export class ListBook {
  private loaded: Loaded[] = [];
  private current: Screener;

  constructor(private readonly paths: readonly string[], private readonly thresholds?: ThresholdSettings) {
    this.current = new Screener([], thresholds);
  }

  get screener(): Screener {
    return this.current;
  }

  /** Rereads what changed; returns each list whose version moved (every list, the first time). */
  refresh(): ListUpdate[] {
    const updates: ListUpdate[] = [];
    const next: Loaded[] = [];
    for (const path of this.paths) {
      const previous = this.loaded.find((loaded) => loaded.path === path);
      const mtimeMs = modified(path);
      if (previous !== undefined && previous.mtimeMs === mtimeMs) {
        next.push(previous);
        continue;
      }
      const list = readListAt(path);
      next.push({ path, mtimeMs, list });
      if (previous?.list.version === list.version) continue;
      const diff = diffLists(previous?.list, list);
      const changes = new Screener([listOf(list.source, [...diff.added, ...diff.changed.map((c) => c.after)], list.publishedAt)], this.thresholds);
      updates.push({ path, list, diff, first: previous === undefined, changes });
    }
    this.loaded = next;
    if (updates.length > 0) this.current = new Screener(next.map((loaded) => loaded.list), this.thresholds);
    return updates;
  }

  versions(): { source: string; version: string; entries: number }[] {
    return this.loaded.map(({ list }) => ({ source: list.source, version: list.version, entries: list.entries.size }));
  }
}
