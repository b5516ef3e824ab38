// talisman ships no type declarations: the functions Depositum uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity of two strings, from 0 (nothing alike) to 1 (equal). */
  const similarity: (a: string, b: string) => number;
  export default similarity;
}
declare module 'talisman/phonetics/double-metaphone.js' {
  /** The primary and the alternate Double Metaphone keys of a word. */
  export default function doubleMetaphone(word: string): [string, string];
}
