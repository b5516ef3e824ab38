import type { ListEntry } from './lists.js';

/**
 * What besides the name tells two parties of one name apart. An identity document or a
 * digital-currency address that equals a listed one is decisive; a date of birth or a
 * nationality that agrees raises the score a little, one that disagrees lowers it.
 */
export interface PartyFacts {
  /** `YYYY`, `YYYY-MM-DD`, or as a list writes it (`25 Mar 1977`). */
  readonly dateOfBirth?: string;
  /** A country: ISO 3166 alpha-2 code or its English name. */
  readonly nationality?: string;
  readonly documentNumbers?: readonly string[];
  readonly digitalCurrencyAddresses?: readonly string[];
}

export interface FieldEvidence {
  readonly field: 'dateOfBirth' | 'nationality' | 'document' | 'digitalCurrencyAddress';
  /** What it does to the score: `decisive` sets it to 1. */
  readonly effect: number | 'decisive';
  readonly detail: string;
}

const AGREES = 0.03;
/** The most supporting facts (a date of birth and a nationality that agree) add to a name's score. */
export const FACTS_RAISE_MAX = 2 * AGREES;
const DATE_DISAGREES = -0.15;
const NATIONALITY_DISAGREES = -0.1;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** A document number as issuers print it in different ways: letters and digits only, upper case. */
export function documentKey(number: string): string {
  return number.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

function yearsOf(date: string): string[] {
  return [...date.matchAll(/\b(1[89]\d\d|20\d\d)\b/g)].map((m) => m[1]!);
}

function countryName(country: string): string {
  const trimmed = country.trim();
  let name = trimmed;
  if (/^[A-Za-z]{2}$/.test(trimmed)) {
    try {
      name = regionNames.of(trimmed.toUpperCase()) ?? trimmed;
    } catch {
      name = trimmed;
    }
  }
  return name.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
}

function dateEvidence(dateOfBirth: string, entry: ListEntry): FieldEvidence | undefined {
  const asked = yearsOf(dateOfBirth);
  const listed = entry.datesOfBirth.flatMap(yearsOf);
  if (asked.length === 0 || listed.length === 0) return undefined;
  // A listed range (1955 to 1958) covers the years between.
  const low = Math.min(...listed.map(Number));
  const high = Math.max(...listed.map(Number));
  const ranged = entry.datesOfBirth.some((d) => /to|-/.test(d) && yearsOf(d).length === 2);
  const agrees = asked.some((year) => listed.includes(year) || (ranged && Number(year) >= low && Number(year) <= high));
  return agrees
    ? { field: 'dateOfBirth', effect: AGREES, detail: `born ${dateOfBirth}; listed ${entry.datesOfBirth.join(' / ')}` }
    : { field: 'dateOfBirth', effect: DATE_DISAGREES, detail: `born ${dateOfBirth}, but listed ${entry.datesOfBirth.join(' / ')}` };
}

function nationalityEvidence(nationality: string, entry: ListEntry): FieldEvidence | undefined {
  if (entry.nationalities.length === 0) return undefined;
  const asked = countryName(nationality);
  const agrees = entry.nationalities.some((listed) => {
    const name = countryName(listed);
    return name === asked || name.startsWith(`${asked} `) || asked.startsWith(`${name} `);
  });
  return agrees
    ? { field: 'nationality', effect: AGREES, detail: `nationality ${nationality}; listed ${entry.nationalities.join(' / ')}` }
    : { field: 'nationality', effect: NATIONALITY_DISAGREES, detail: `nationality ${nationality}, but listed ${entry.nationalities.join(' / ')}` };
}

/** The decisive identifiers this entry shares with the party. */
export function decisiveEvidence(facts: PartyFacts, entry: ListEntry): FieldEvidence[] {
  const evidence: FieldEvidence[] = [];
  const numbers = new Set((facts.documentNumbers ?? []).map(documentKey));
  for (const document of entry.documents) {
    if (numbers.has(documentKey(document.number))) evidence.push({ field: 'document', effect: 'decisive', detail: `${document.type} ${document.number}${document.country === undefined ? '' : ` (${document.country})`}` });
  }
  const addresses = new Set(facts.digitalCurrencyAddresses ?? []);
  for (const { currency, address } of entry.digitalCurrencyAddresses) {
    if (addresses.has(address)) evidence.push({ field: 'digitalCurrencyAddress', effect: 'decisive', detail: `${currency} ${address}` });
  }
  return evidence;
}

/** Date of birth and nationality, where both the party and the entry state them. */
export function supportingEvidence(facts: PartyFacts, entry: ListEntry): FieldEvidence[] {
  const evidence: FieldEvidence[] = [];
  const date = facts.dateOfBirth === undefined ? undefined : dateEvidence(facts.dateOfBirth, entry);
  if (date !== undefined) evidence.push(date);
  const nationality = facts.nationality === undefined ? undefined : nationalityEvidence(facts.nationality, entry);
  if (nationality !== undefined) evidence.push(nationality);
  return evidence;
}
