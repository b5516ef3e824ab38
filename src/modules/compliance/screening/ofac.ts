import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { listOf, ListFormatError, type ListEntry, type ListedDocument, type ListedName, type PartyType, type SanctionsList } from './lists.js';

/**
 * OFAC's SDN list in its legacy CSV files, as Treasury publishes them: `sdn.csv` (one row
 * per entry), `add.csv` (addresses), `alt.csv` (aliases) and `sdn_comments.csv` (remarks
 * too long for sdn.csv, continued). No header row; `-0-` (often with a trailing space) for
 * null; a DOS end-of-file byte after the last line. Programs are packed in one field
 * (`CYBER2] [ELECTION-EO13848`); the remarks pack dates of birth, nationalities,
 * documents and digital-currency addresses, separated by semicolons.
 */
const NULL = '-0-';

/** The DOS end-of-file byte (0x1A) OFAC leaves after the last line, and the blanks around it. */
function withoutEndOfFile(text: string): string {
  const end = text.lastIndexOf(String.fromCharCode(0x1a));
  return end >= 0 && text.slice(end + 1).trim() === '' ? text.slice(0, end) : text;
}

function rows(text: string, file: string, columns: number): string[][] {
  let records: string[][];
  try {
    records = parse(withoutEndOfFile(text), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new ListFormatError(`${file}: not CSV as OFAC writes it: ${(error as Error).message}`);
  }
  for (const [i, record] of records.entries()) {
    if (record.length < columns) throw new ListFormatError(`${file}, line ${i + 1}: ${record.length} fields, expected ${columns}`);
  }
  return records;
}

const value = (field: string | undefined): string | undefined => (field === undefined || field.trim() === NULL || field.trim() === '' ? undefined : field.trim());

/** `SDGT] [IRGC] [IFSR` → SDGT, IRGC, IFSR (the brackets delimit programs inside one field). */
export function programsOf(field: string | undefined): string[] {
  const text = value(field);
  return text === undefined ? [] : text.split(/\]\s*\[/).map((program) => program.replace(/^\[|\]$/g, '').trim()).filter(Boolean);
}

const TYPES: Record<string, PartyType> = { individual: 'person', vessel: 'vessel', aircraft: 'aircraft' };

/** Document kinds the remarks carry, as OFAC words them: number, then the issuing country in brackets. */
const DOCUMENT = /^(Passport|National ID No\.|Tax ID No\.|Cedula No\.|C\.U\.R\.P\.|R\.F\.C\.|SSN|Identification Number|Registration Number|Registration ID|Company Number|Business Registration Document #|Residency Number|Driver's License No\.|Personal ID Card|Birth Certificate Number|NIT #|RUC #|D\.N\.I\.|Vessel Registration Identification|Aircraft Manufacturer's Serial Number \(MSN\)) ([^;()]+?)(?: \(([^)]*)\))?(?:\s+(?:issued|expires).*)?$/;

interface Remarks {
  datesOfBirth: string[];
  placesOfBirth: string[];
  nationalities: string[];
  documents: ListedDocument[];
  digitalCurrencyAddresses: { currency: string; address: string }[];
  weakAliases: string[];
}

/** The facts packed in OFAC's remarks, each `;`-separated part read on its own; what is not recognised stays in the remarks text. */
export function remarksOf(text: string | undefined): Remarks {
  const found: Remarks = { datesOfBirth: [], placesOfBirth: [], nationalities: [], documents: [], digitalCurrencyAddresses: [], weakAliases: [] };
  for (const raw of (text ?? '').split(';')) {
    const part = raw.trim().replace(/\.$/, '');
    let match: RegExpExecArray | null;
    if ((match = /^(?:alt\. )?DOB (.+)$/.exec(part)) !== null) found.datesOfBirth.push(match[1]!);
    else if ((match = /^(?:alt\. )?POB (.+)$/.exec(part)) !== null) found.placesOfBirth.push(match[1]!);
    else if ((match = /^(?:alt\. )?(?:nationality|citizen) (.+)$/.exec(part)) !== null) found.nationalities.push(match[1]!);
    else if ((match = /^(?:alt\. )?Digital Currency Address - ([A-Z0-9]+) (\S+)$/.exec(part)) !== null) found.digitalCurrencyAddresses.push({ currency: match[1]!, address: match[2]! });
    else if ((match = /^a\.k\.a\. '(.+)'$/.exec(part)) !== null) found.weakAliases.push(match[1]!);
    else if ((match = DOCUMENT.exec(part.replace(/^alt\. /, ''))) !== null) found.documents.push({ type: match[1]!, number: match[2]!.trim(), ...(match[3] !== undefined && { country: match[3] }) });
  }
  return found;
}

const ALIAS_KINDS: Record<string, ListedName['kind']> = { aka: 'aka', fka: 'fka', nka: 'nka' };

/** Reads the four files of an OFAC SDN snapshot from `directory`. */
export function readOfacSdn(directory: string): SanctionsList {
  const read = (file: string) => readFileSync(join(directory, file), 'latin1');
  const sdn = rows(read('sdn.csv'), 'sdn.csv', 12);
  const aliases = new Map<string, ListedName[]>();
  for (const [ent, , type, name] of rows(read('alt.csv'), 'alt.csv', 5)) {
    const kind = ALIAS_KINDS[value(type) ?? 'aka'] ?? 'aka';
    if (value(name) !== undefined) aliases.set(ent!, [...(aliases.get(ent!) ?? []), { name: name!, kind }]);
  }
  const addresses = new Map<string, { street?: string; city?: string; country?: string }[]>();
  for (const [ent, , street, city, country] of rows(read('add.csv'), 'add.csv', 6)) {
    const address = { ...(value(street) !== undefined && { street: street! }), ...(value(city) !== undefined && { city: city! }), ...(value(country) !== undefined && { country: country! }) };
    if (Object.keys(address).length > 0) addresses.set(ent!, [...(addresses.get(ent!) ?? []), address]);
  }
  const continued = new Map<string, string>();
  for (const [ent, remarks] of rows(read('sdn_comments.csv'), 'sdn_comments.csv', 2)) if (value(remarks) !== undefined) continued.set(ent!, remarks!);
  const entries: ListEntry[] = sdn.map(([ent, name, type, program, , , , , , , , remarkField]) => {
    // sdn_comments.csv continues the remarks where sdn.csv cut them, mid-word: joined as they are.
    const remarksText = [value(remarkField), continued.get(ent!)].filter((part) => part !== undefined).join('');
    const facts = remarksOf(remarksText);
    return {
      id: ent!, type: TYPES[value(type)?.toLowerCase() ?? ''] ?? 'entity',
      names: [{ name: name!, kind: 'primary' as const }, ...(aliases.get(ent!) ?? []), ...facts.weakAliases.map((alias) => ({ name: alias, kind: 'weak' as const }))],
      programs: programsOf(program), datesOfBirth: facts.datesOfBirth, placesOfBirth: facts.placesOfBirth, nationalities: facts.nationalities,
      documents: facts.documents, digitalCurrencyAddresses: facts.digitalCurrencyAddresses, addresses: addresses.get(ent!) ?? [],
      ...(remarksText !== '' && { remarks: remarksText }),
    };
  });
  return listOf('ofac-sdn', entries);
}
