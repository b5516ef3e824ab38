import { parse } from 'csv-parse/sync';
import { listOf, ListFormatError, type ListEntry, type SanctionsList } from './lists.js';

/**
 * A bank's own watchlist: CSV with a header row `id,name,type` (`type` is `person` or
 * `entity`) and, optionally, `aliases` (separated by `;`), `country` and `dob`.
 */
export function readInternalList(name: string, text: string): SanctionsList {
  let records: Record<string, string>[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((column) => column.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  } catch (error) {
    throw new ListFormatError(`${name}: not CSV: ${(error as Error).message}`);
  }
  const seen = new Set<string>();
  const entries: ListEntry[] = records.map((record, i) => {
    const line = i + 2;
    const { id, name: listed, type } = record;
    if (id === undefined || id === '' || listed === undefined || listed === '') throw new ListFormatError(`${name}, line ${line}: id and name are required (header id,name,type)`);
    if (type !== 'person' && type !== 'entity') throw new ListFormatError(`${name}, line ${line}: type "${type ?? ''}" is neither person nor entity`);
    if (seen.has(id)) throw new ListFormatError(`${name}, line ${line}: id ${id} appears twice`);
    seen.add(id);
    const aliases = (record['aliases'] ?? '').split(';').map((alias) => alias.trim()).filter(Boolean);
    const country = record['country'] === undefined || record['country'] === '' ? [] : [record['country']];
    const dob = record['dob'] === undefined || record['dob'] === '' ? [] : [record['dob']];
    return {
      id, type, names: [{ name: listed, kind: 'primary' as const }, ...aliases.map((alias) => ({ name: alias, kind: 'aka' as const }))],
      programs: [], datesOfBirth: dob, placesOfBirth: [], nationalities: country, documents: [], digitalCurrencyAddresses: [], addresses: [],
    };
  });
  return listOf(`internal:${name}`, entries);
}
