import anyAscii from 'any-ascii';

/**
 * A name's words as both name comparisons read them (Confirmation of Payee, sanctions
 * screening): transliterated to ASCII (any-ascii), lower-cased, dots and apostrophes
 * joining what they split (S.A., O'Neil), `&` read as "and", anything else separating.
 */
export function plainWords(name: string): string[] {
  const plain = anyAscii(name).toLowerCase().replace(/[.'`]/g, '').replace(/&/g, ' and ');
  return plain.split(/[^a-z0-9]+/).filter((word) => word !== '');
}

/** Words that say what kind of entity it is, not which. */
export const LEGAL_FORMS: ReadonlySet<string> = new Set([
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'llc', 'llp', 'lp', 'plc', 'pte', 'pty', 'pvt',
  'gmbh', 'ag', 'kg', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'kk', 'na', 'the', 'and',
]);
