import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { LEGAL_FORMS, plainWords } from './words.js';

/**
 * Comparing the names of legal entities, as a Confirmation of Payee service does: the
 * registered name against the name a payer expects. Names are transliterated to ASCII
 * (any-ascii), lower-cased, stripped of punctuation and of legal-form words (Inc., Ltd,
 * GmbH, Pte., S.A. …) and compared as sets of words, in any order: equal, or else word by
 * word with Jaro-Winkler similarity (talisman), each word paired with its best
 * counterpart. A close match needs every word close (a typo, a missing letter), not just
 * most of the string: "Apex Logistics" is not "Acme Logistics".
 */

/** A close match: the words' mean similarity at least this, and no word below WORD_SIMILARITY_MIN. */
export const CLOSE_MATCH_SIMILARITY = 0.9;
const WORD_SIMILARITY_MIN = 0.85;

/** The name's distinctive words, transliterated and lower-cased, in sorted order. */
export function nameWords(name: string): string[] {
  // Legal forms neither make nor break a match.
  return plainWords(name).filter((word) => !LEGAL_FORMS.has(word)).sort();
}

export type NameComparison = { verdict: 'match' | 'close_match' | 'no_match'; similarity: number };

/** Each word of the longer list paired with its most similar free word of the other: the mean and the worst pair. */
function wordSimilarity(a: readonly string[], b: readonly string[]): { mean: number; worst: number } {
  const [longer, shorter] = a.length >= b.length ? [a, b] : [b, a];
  const free = [...shorter];
  let sum = 0;
  let worst = 1;
  for (const word of longer) {
    let best = 0;
    let at = -1;
    free.forEach((other, i) => {
      const similarity = jaroWinkler(word, other);
      if (similarity > best) [best, at] = [similarity, i];
    });
    if (at !== -1) free.splice(at, 1);
    sum += best;
    worst = Math.min(worst, best);
  }
  return { mean: longer.length === 0 ? 0 : sum / longer.length, worst };
}

export function compareNames(registered: string, expected: string): NameComparison {
  const a = nameWords(registered);
  const b = nameWords(expected);
  if (a.length > 0 && a.join(' ') === b.join(' ')) return { verdict: 'match', similarity: 1 };
  const { mean, worst } = wordSimilarity(a, b);
  return { verdict: mean >= CLOSE_MATCH_SIMILARITY && worst >= WORD_SIMILARITY_MIN ? 'close_match' : 'no_match', similarity: mean };
}
