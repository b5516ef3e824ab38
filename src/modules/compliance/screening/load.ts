import { readFileSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { readInternalList } from './internal.js';
import { ListFormatError, type SanctionsList } from './lists.js';
import { readOfacSdn } from './ofac.js';
import { readUnConsolidated } from './un.js';

/**
 * A list from where it is kept, its format told by its shape: a directory holds OFAC's SDN
 * CSV files; an `.xml` file is the UN consolidated list; a `.csv` file is a bank's own
 * watchlist, named after the file (`internal:pep-watch` for `pep-watch.csv`).
 */
export function readListAt(path: string): SanctionsList {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new ListFormatError(`no list at ${path}`);
  }
  if (isDirectory) {
    try {
      return readOfacSdn(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ListFormatError(`${path}: an OFAC SDN directory holds sdn.csv, alt.csv, add.csv and sdn_comments.csv`);
      throw error;
    }
  }
  const extension = extname(path).toLowerCase();
  if (extension === '.xml') return readUnConsolidated(readFileSync(path, 'utf8'));
  if (extension === '.csv') return readInternalList(basename(path, extname(path)), readFileSync(path, 'utf8'));
  throw new ListFormatError(`${path}: a list is a directory of OFAC SDN CSV files, a UN consolidated .xml, or a watchlist .csv`);
}
