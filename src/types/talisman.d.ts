// talisman ships no type declarations: the one function Depositum uses.
declare module 'talisman/metrics/jaro-winkler.js' {
  /** Jaro-Winkler similarity of two strings, from 0 (nothing alike) to 1 (equal). */
  const similarity: (a: string, b: string) => number;
  export default similarity;
}
