import doubleMetaphone from 'talisman/phonetics/double-metaphone.js';
import { LEGAL_FORMS, plainWords } from '../../../names/words.js';

/**
 * A name as the matcher compares it: transliterated to ASCII (any-ascii: Arabic, Cyrillic,
 * Chinese and the rest), lower-cased, without diacritics or punctuation, split into words
 * in any order. Each word has a weight: the words that say what kind of party it is (LLC,
 * LTD, CO, AG, bank?) or how to address it (MR, SHAIKH, HAJJI) count for little, so that
 * "11420 CORP." does not match every "CORP" and "EMMA LLC" is not "Emma Daniels".
 */
export interface NameToken {
  readonly word: string;
  /** Double Metaphone's primary key ('' for digits): two spellings of one sound share it. */
  readonly sound: string;
  readonly weight: number;
  /** Whether it tells names apart: neither generic nor an initial (a common word still tells, if less). */
  readonly telling: boolean;
}

/** A generic word's weight: enough to break a tie, never enough to make a match. */
export const GENERIC_WEIGHT = 0.1;

/** Legal forms, the generic words of company names, and articles and conjunctions in the languages the lists use. */
const GENERIC_WORDS = new Set([
  ...LEGAL_FORMS, 'cie', 'jsc', 'ojsc', 'pjsc', 'cjsc', 'ooo', 'zao', 'oao',
  'fze', 'fzco', 'fzc', 'fzllc', 'dmcc', 'sdn', 'bhd', 'tbk', 'pt', 'cv', 'de', 'del', 'la', 'el', 'le', 'les', 'des', 'du', 'di', 'da', 'do',
  'the', 'and', 'of', 'for', 'y', 'e', 'et', 'und', 'trading', 'group', 'holding', 'holdings', 'international', 'intl', 'enterprise',
  'enterprises', 'industries', 'industrial', 'services', 'general', 'establishment', 'est', 'movement', 'organization', 'organisation',
  'association', 'society', 'front',
]);

/** Particles of family names: "son of", "the", "of the" in Arabic, Hebrew, Dutch, German names. */
const PARTICLES = new Set(['al', 'el', 'bin', 'ibn', 'bint', 'ben', 'bat', 'van', 'von', 'der', 'den', 'ter', 'dos', 'das', 'mac']);

/** Honorifics and titles: who the person is addressed as, not who they are. */
const HONORIFICS = new Set([
  'mr', 'mrs', 'ms', 'miss', 'dr', 'prof', 'sir', 'dame', 'lord', 'shaikh', 'sheikh', 'shaykh', 'sheik', 'haji', 'hajji', 'hadji', 'mullah',
  'mulla', 'maulana', 'maulvi', 'mawlawi', 'qari', 'imam', 'sayyid', 'sayed', 'general', 'gen', 'colonel', 'col', 'major', 'maj', 'brigadier',
  'captain', 'capt', 'admiral', 'judge', 'eng', 'engineer',
]);

const sounds = new Map<string, string>();

/** Double Metaphone's primary key, remembered: lists and queries repeat the same words. */
export function soundOf(word: string): string {
  let sound = sounds.get(word);
  if (sound === undefined) {
    sound = /^[0-9]+$/.test(word) ? '' : doubleMetaphone(word)[0];
    if (sounds.size < 200_000) sounds.set(word, sound);
  }
  return sound;
}

/** The name's words, plain ASCII and lower case (as Confirmation of Payee reads them too). */
export const wordsOf = plainWords;

export function tokensOf(name: string): NameToken[] {
  return wordsOf(name).map((word) => {
    const telling = !(GENERIC_WORDS.has(word) || PARTICLES.has(word) || HONORIFICS.has(word) || word.length === 1);
    return { word, sound: soundOf(word), weight: telling ? 1 : GENERIC_WEIGHT, telling };
  });
}

export function isDistinctive(token: NameToken): boolean {
  return token.telling;
}
