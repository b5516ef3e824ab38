import jaroWinkler from 'talisman/metrics/jaro-winkler.js';
import { isDistinctive, type NameToken } from './normalize.js';

/**
 * How alike two names are, from 0 to 1, and why. Words are paired one to one, best pairs
 * first, in any order: equal words; Jaro-Winkler for typos; a shared Double Metaphone key
 * for spellings of one sound (Qaddafi, Gadhafi); an initial for the word it starts. The
 * score is the lower of the two names' coverage (the share of each name's weight that
 * found a partner), so neither name can match by a part of the other: "EMMA LLC" covers
 * only half of "Emma Daniels". When two or more telling words pair up, a word either side
 * left over (a middle name, a patronymic) costs less: "Vladimir Putin" is still close to
 * "PUTIN, Vladimir Vladimirovich".
 */
export interface TokenPair {
  readonly query: string;
  readonly listed: string;
  readonly similarity: number;
  readonly how: 'equal' | 'jaro-winkler' | 'phonetic' | 'initial';
}

export interface NameScore {
  readonly score: number;
  readonly pairs: readonly TokenPair[];
  /** Words of either name that found no partner. */
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedListed: readonly string[];
}

/** Below this a pair of words is not a partner at all: unrelated words' similarity is no evidence. */
const PAIR_MIN = 0.78;
/** What a phonetic match is worth when the spelling is further apart. */
const PHONETIC_SIMILARITY = 0.9;
/** What an initial is worth against the word it starts. */
const INITIAL_SIMILARITY = 0.9;
/** A left-over word's weight once two telling words have paired. */
export const LEFT_OVER_WEIGHT = 0.25;

/** First letters that transliterations of one name swap (Viktor, Wiktor; Qasem, Kasem; Yusuf, Iusuf, Jusuf; Djo, Jo). */
const INITIAL_CLASSES: Readonly<Record<string, string>> = { w: 'v', q: 'k', c: 'k', y: 'i', j: 'i', z: 's' };

/** Leading letters one transliteration writes and another drops (Djo, Jo; Khemais, Hemais; Khan, Han): compared without them. */
const SILENT_LEADS: readonly (readonly [string, string])[] = [['dj', 'j'], ['kh', 'h']];
/** What a word spelt alike but for such a lead is worth. */
const LEAD_SIMILARITY = 0.92;

export function withoutLead(word: string): string {
  for (const [lead, sound] of SILENT_LEADS) if (word.startsWith(lead)) return sound + word.slice(lead.length);
  return word;
}

function initialClass(word: string): string {
  const first = word.startsWith('dj') ? 'j' : word[0]!;
  return INITIAL_CLASSES[first] ?? first;
}

/** Whether two words start alike, as spelt or without a silent lead (KHEDRI starts like Kedri and like Hedri). */
function startAlike(a: string, b: string): boolean {
  return initialClass(a) === initialClass(b) || initialClass(withoutLead(a)) === initialClass(withoutLead(b));
}

/** Jaro-Winkler, on the words as spelt or, where a silent lead differs, without it (at most LEAD_SIMILARITY then). */
function spellingSimilarity(a: string, b: string): number {
  const similarity = jaroWinkler(a, b);
  const [plainA, plainB] = [withoutLead(a), withoutLead(b)];
  if (plainA === a && plainB === b) return similarity;
  return Math.max(similarity, Math.min(LEAD_SIMILARITY, jaroWinkler(plainA, plainB)));
}

function compareWords(q: NameToken, c: NameToken): Omit<TokenPair, 'query' | 'listed'> {
  if (q.word === c.word) return { similarity: 1, how: 'equal' };
  if ((q.word.length === 1 && c.word.length > 1 && c.word.startsWith(q.word)) || (c.word.length === 1 && q.word.length > 1 && q.word.startsWith(c.word))) {
    return { similarity: INITIAL_SIMILARITY, how: 'initial' };
  }
  const similarity = spellingSimilarity(q.word, c.word);
  if (q.sound !== '' && q.sound === c.sound && similarity < PHONETIC_SIMILARITY && similarity >= 0.6) return { similarity: PHONETIC_SIMILARITY, how: 'phonetic' };
  // Spellings of one word start alike (or with letters transliterations swap); "ali" and "wali" are two names however close their letters.
  return { similarity: startAlike(q.word, c.word) ? similarity : 0, how: 'jaro-winkler' };
}

interface Pairing {
  readonly pairs: TokenPair[];
  readonly queryShare: number[];
  readonly listedShare: number[];
}

/** Best pairs first, each word in at most one pair. */
function pairUp(query: readonly NameToken[], listed: readonly NameToken[]): Pairing {
  const candidates: { i: number; j: number; similarity: number; how: TokenPair['how'] }[] = [];
  query.forEach((q, i) => listed.forEach((c, j) => {
    const { similarity, how } = compareWords(q, c);
    if (similarity >= PAIR_MIN) candidates.push({ i, j, similarity, how });
  }));
  candidates.sort((a, b) => b.similarity - a.similarity || a.i - b.i || a.j - b.j);
  const queryShare = query.map(() => 0);
  const listedShare = listed.map(() => 0);
  const pairs: TokenPair[] = [];
  for (const { i, j, similarity, how } of candidates) {
    if (queryShare[i] !== 0 || listedShare[j] !== 0) continue;
    queryShare[i] = listedShare[j] = similarity;
    pairs.push({ query: query[i]!.word, listed: listed[j]!.word, similarity, how });
  }
  return { pairs, queryShare, listedShare };
}

function coverage(tokens: readonly NameToken[], share: readonly number[], leftOverWeight: number): number {
  let weight = 0;
  let covered = 0;
  tokens.forEach((token, i) => {
    const found = share[i]!;
    const w = found === 0 && isDistinctive(token) ? token.weight * leftOverWeight : token.weight;
    weight += w;
    covered += w * found;
  });
  return weight === 0 ? 0 : covered / weight;
}

export function scoreNames(query: readonly NameToken[], listed: readonly NameToken[]): NameScore {
  const { pairs, queryShare, listedShare } = pairUp(query, listed);
  const tellingPairs = query.filter((token, i) => isDistinctive(token) && queryShare[i]! > 0).length;
  const queryLeftOver = query.some((token, i) => isDistinctive(token) && queryShare[i] === 0);
  const listedLeftOver = listed.some((token, j) => isDistinctive(token) && listedShare[j] === 0);
  // A word one name has and the other lacks is a word left out; a word each has unpaired is a different name.
  const leftOver = tellingPairs >= 2 && !(queryLeftOver && listedLeftOver) ? LEFT_OVER_WEIGHT : 1;
  const score = Math.min(coverage(query, queryShare, leftOver), coverage(listed, listedShare, leftOver));
  return {
    score,
    pairs,
    unmatchedQuery: query.filter((_, i) => queryShare[i] === 0).map((t) => t.word),
    unmatchedListed: listed.filter((_, j) => listedShare[j] === 0).map((t) => t.word),
  };
}
