import { ChainDataError, type EntryRecord } from '../chain/index.js';
import { positionOf, type EntryRow } from './rows.js';

/**
 * A transaction's (or a block start's) history entries as one column of its own row:
 * `[[n, account, availableAfter, heldAfter], …]`, amounts as decimal strings. Written with
 * the block, so the chain's records stay whole in one database transaction; the per-account
 * index that answers history queries is derived from these columns behind the commit path
 * (derived-index.ts), and can be rebuilt from them at any time.
 */
type StoredEntry = [n: number, account: string, availableAfter: string, heldAfter: string];

/** The column for entries that all share one block and index, in order. */
export function encodeEntriesColumn(entries: readonly EntryRecord[]): string {
  if (entries.length === 0) return '[]';
  const stored: StoredEntry[] = new Array<StoredEntry>(entries.length);
  for (let i = 0; i < entries.length; i += 1) {
    const entry = entries[i]!;
    stored[i] = [entry.n, entry.account, entry.availableAfterMinor.toString(), entry.heldAfterMinor.toString()];
  }
  return JSON.stringify(stored);
}

/** The column's entries as index rows, for `seq` (its block and index as one integer). */
export function entryRowsOf(seq: number, text: string): EntryRow[] {
  const { height, index } = positionOf(seq, 0);
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (error) {
    throw new ChainDataError(height, index === 0 ? undefined : index - 1, `stored history entries cannot be decoded: ${(error as Error).message}`);
  }
  if (!Array.isArray(stored) || !stored.every(isStoredEntry)) throw new ChainDataError(height, index === 0 ? undefined : index - 1, 'stored history entries are not a list of [n, account, available, held]');
  return stored.map(([n, account, available, held]) => ({ account, seq, n, available_after: available, held_after: held }));
}

function isStoredEntry(value: unknown): value is StoredEntry {
  return Array.isArray(value) && value.length === 4 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string'
    && typeof value[2] === 'string' && /^[0-9]+$/.test(value[2]) && typeof value[3] === 'string' && /^[0-9]+$/.test(value[3]);
}
