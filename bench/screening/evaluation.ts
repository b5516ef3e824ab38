import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { ListEntry, SanctionsList } from '../../src/modules/compliance/screening/lists.js';
import { isDistinctive, tokensOf, wordsOf } from '../../src/modules/compliance/screening/normalize.js';
import { seededRandom } from '../random.js';

/**
 * The labelled evaluation set of the sanctions matcher. True pairs: names written by hand
 * for listed parties as a bank's clients or payments write them (hand-labelled.csv), and
 * variants of listed names made by rule from a seeded sample of the lists' entries (a
 * typo, a transliteration, words reordered or dropped, initials, an alias). False pairs:
 * ordinary company and person names (ordinary-names.csv, and recombinations of their
 * words), which must raise nothing. The rules were written from how names vary in
 * practice, not from the matcher's misses, and the sample changes with the seed.
 */
export interface LabelledName {
  readonly query: string;
  readonly type?: 'person' | 'entity';
  /** `list:entryId` the name is; empty for a name that is on no list. */
  readonly expected: readonly string[];
  readonly variant: string;
}

type Row = Record<string, string>;
const here = (file: string) => new URL(file, import.meta.url);

export function handLabelled(): LabelledName[] {
  return (parse(readFileSync(here('hand-labelled.csv')), { columns: true }) as Row[]).map((row) => ({
    query: row['query']!, type: row['type'] as 'person' | 'entity', expected: row['expected']!.split('|'), variant: `hand: ${row['variant']!}`,
  }));
}

export function ordinaryNames(): LabelledName[] {
  return (parse(readFileSync(here('ordinary-names.csv')), { columns: true }) as Row[]).map((row) => ({
    query: row['name']!, type: row['type'] as 'person' | 'entity', expected: [], variant: 'ordinary name',
  }));
}

/** Spellings that transliterations of one name alternate between. */
const TRANSLITERATIONS: readonly [RegExp, string][] = [
  [/ou/g, 'u'], [/u/g, 'ou'], [/y/g, 'i'], [/i/g, 'y'], [/kh/g, 'h'], [/q/g, 'k'], [/ph/g, 'f'], [/sh/g, 'sch'], [/ee/g, 'i'],
  [/j/g, 'dj'], [/dh/g, 'd'], [/ei/g, 'ey'], [/ts/g, 'tz'], [/v/g, 'w'], [/mm/g, 'm'], [/ss/g, 's'], [/ll/g, 'l'], [/e/g, 'a'],
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function typo(random: () => number, word: string): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  const letter = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)]!;
  switch (Math.floor(random() * 4)) {
    case 0: return word.slice(0, at) + word.slice(at + 1);
    case 1: return word.slice(0, at) + word[at] + word.slice(at);
    case 2: return word.slice(0, at) + word[at + 1]! + word[at] + word.slice(at + 2);
    default: return word.slice(0, at) + letter + word.slice(at + 1);
  }
}

function transliterate(random: () => number, word: string): string | undefined {
  const rules = TRANSLITERATIONS.filter(([pattern]) => pattern.test(word));
  if (rules.length === 0) return undefined;
  const [pattern, replacement] = pick(random, rules);
  return word.replace(pattern, replacement);
}

/** One variant of a listed name, or undefined when this kind of variant does not apply to it. */
function variantOf(random: () => number, kind: string, words: readonly string[], entry: ListEntry): string | undefined {
  const telling = words.map((word, i) => ({ word, i })).filter(({ word }) => isDistinctive(tokensOf(word)[0]!));
  const long = telling.filter(({ word }) => word.length >= 5);
  const replace = (i: number, word: string) => words.map((w, j) => (j === i ? word : w)).join(' ');
  switch (kind) {
    case 'typo': {
      if (long.length === 0) return undefined;
      const { word, i } = pick(random, long);
      return replace(i, typo(random, word));
    }
    case 'transliteration': {
      const { word, i } = pick(random, telling.length > 0 ? telling : [{ word: words[0]!, i: 0 }]);
      const changed = transliterate(random, word);
      return changed === undefined ? undefined : replace(i, changed);
    }
    case 'reordered':
      return words.length < 2 ? undefined : [...words.slice(1), words[0]].join(' ');
    case 'dropped': {
      if (telling.length < 3) return undefined;
      const { i } = telling[telling.length - 1]!;
      return words.filter((_, j) => j !== i).join(' ');
    }
    case 'initial': {
      if (entry.type !== 'person' || telling.length < 2) return undefined;
      // OFAC writes persons "SURNAME, Given names": the given name is the second word.
      const { word, i } = telling[1]!;
      return replace(i, word[0]!);
    }
    case 'alias': {
      const aliases = entry.names.filter((name) => name.kind === 'aka' || name.kind === 'fka');
      if (aliases.length === 0) return undefined;
      const aliasWords = wordsOf(pick(random, aliases).name);
      const tellingAlias = aliasWords.findIndex((word) => word.length >= 5 && isDistinctive(tokensOf(word)[0]!));
      return tellingAlias === -1 ? undefined : aliasWords.map((w, j) => (j === tellingAlias ? typo(random, w) : w)).join(' ');
    }
    default: throw new Error(`no variant ${kind}`);
  }
}

export const VARIANT_KINDS = ['typo', 'transliteration', 'reordered', 'dropped', 'initial', 'alias'] as const;

/** `perKind` variants of each kind, from entries (persons and entities) sampled with the seed. */
export function generatedVariants(lists: readonly SanctionsList[], perKind: number, seed: number): LabelledName[] {
  const random = seededRandom(seed);
  const entries = lists.flatMap((list) => [...list.entries.values()].filter((e) => e.type === 'person' || e.type === 'entity').map((entry) => ({ list, entry })));
  const labelled: LabelledName[] = [];
  for (const kind of VARIANT_KINDS) {
    for (let made = 0, tries = 0; made < perKind && tries < perKind * 50; tries++) {
      const { list, entry } = pick(random, entries);
      const words = wordsOf(entry.names[0]!.name);
      const query = variantOf(random, kind, words, entry);
      if (query === undefined || query === words.join(' ')) continue;
      labelled.push({ query, type: entry.type as 'person' | 'entity', expected: [`${list.source}:${entry.id}`], variant: kind });
      made++;
    }
  }
  return labelled;
}

/** Ordinary names recombined: given names with other families' surnames, company words with other companies' trades. */
export function recombinedOrdinaryNames(count: number, seed: number): LabelledName[] {
  const random = seededRandom(seed);
  const ordinary = ordinaryNames();
  const persons = ordinary.filter((n) => n.type === 'person').map((n) => n.query.split(' '));
  const companies = ordinary.filter((n) => n.type === 'entity').map((n) => n.query.split(' '));
  const made: LabelledName[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      made.push({ query: `${pick(random, persons)[0]!} ${pick(random, persons).slice(-1)[0]!}`, type: 'person', expected: [], variant: 'ordinary name, recombined' });
    } else {
      const a = pick(random, companies);
      const b = pick(random, companies);
      made.push({ query: [a[0]!, ...b.slice(1)].join(' '), type: 'entity', expected: [], variant: 'ordinary name, recombined' });
    }
  }
  return made;
}
