import { statSync } from 'node:fs';
import { readListOffThread } from './screening/list-reader.js';
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

/** A list whose version moved, before its index of changes is built. */
type Moved = Omit<ListUpdate, 'changes'>;

/**
 * The lists the module screens against, kept current: `load()` reads them all when the
 * module is made; `refresh()` rereads a file whose modification time moved, and a new
 * version replaces the old with its diff. A file that no longer reads keeps its last good
 * version (and the error is the caller's to log).
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

  /**
   * Reads every list at once, on this thread: a module is made when its process starts,
   * before it screens anyone, and screening must never begin with no list. Returns each
   * list as an update (every list is new).
   */
  load(): ListUpdate[] {
    const next = this.paths.map((path) => ({ path, mtimeMs: modified(path), list: readListAt(path) }));
    const moved = this.movedIn(next);
    const updates = moved.map((update) => ({ ...update, changes: new Screener([changesOf(update)], this.thresholds) }));
    this.use(next, new Screener(next.map((loaded) => loaded.list), this.thresholds));
    return updates;
  }

  /**
   * Rereads what changed since, each file on a thread of its own and the indexes built a
   * few hundred entries at a time, so that a list update never holds the module's thread
   * (in the node's process, the sequencer) for the second it takes. Returns each list
   * whose version moved; the lists and the screener in use change together, at the end.
   */
  async refresh(): Promise<ListUpdate[]> {
    const next: Loaded[] = [];
    for (const path of this.paths) {
      const previous = this.loaded.find((loaded) => loaded.path === path);
      const mtimeMs = modified(path);
      next.push(previous?.mtimeMs === mtimeMs ? previous : { path, mtimeMs, list: await readListOffThread(path) });
    }
    const moved = this.movedIn(next);
    const updates: ListUpdate[] = [];
    for (const update of moved) updates.push({ ...update, changes: await Screener.build([changesOf(update)], this.thresholds) });
    if (moved.length > 0) this.use(next, await Screener.build(next.map((loaded) => loaded.list), this.thresholds));
    else this.loaded = next;
    return updates;
  }

  versions(): { source: string; version: string; entries: number }[] {
    return this.loaded.map(({ list }) => ({ source: list.source, version: list.version, entries: list.entries.size }));
  }

  /** The lists of `next` whose version is not the one in use, with what changed. */
  private movedIn(next: readonly Loaded[]): Moved[] {
    return next.flatMap(({ path, list }) => {
      const previous = this.loaded.find((loaded) => loaded.path === path)?.list;
      if (previous?.version === list.version) return [];
      return [{ path, list, diff: diffLists(previous, list), first: previous === undefined }];
    });
  }

  private use(next: Loaded[], screener: Screener): void {
    this.loaded = next;
    this.current = screener;
  }
}

/** The added and changed entries of an update alone, as a list: every participant is screened against these. */
function changesOf({ list, diff }: Moved): SanctionsList {
  return listOf(list.source, [...diff.added, ...diff.changed.map((c) => c.after)], list.publishedAt);
}
