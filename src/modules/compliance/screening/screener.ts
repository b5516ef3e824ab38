import { decisiveEvidence, documentKey, FACTS_RAISE_MAX, supportingEvidence, type FieldEvidence, type PartyFacts } from './fields.js';
import type { ListedName, ListEntry, PartyType, SanctionsList } from './lists.js';
import { turnIfHeld } from '../../kit/turns.js';
import { isDistinctive, tokensOf, type NameToken } from './normalize.js';
import { LEFT_OVER_WEIGHT, scoreNames, withoutLead, type TokenPair } from './score.js';
import { decide, DEFAULT_THRESHOLDS, lowestReview, thresholdsFor, type Decision, type ThresholdSettings } from './thresholds.js';

/**
 * Screening names against sanctions lists. Every listed name (primary and aliases) is
 * indexed by its telling words' blocking keys (Double Metaphone, first three letters, last
 * three letters, the word less one letter), so a query scores only the names that share keys with enough of its
 * words, never the whole list. Documents and digital-currency addresses are indexed
 * exactly. A hit is the best-scoring name of an entry, with its decision and its reasons.
 */
export interface ScreeningQuery extends PartyFacts {
  readonly name: string;
  /** Who is being screened; absent: compared with every type of entry alike. */
  readonly type?: 'person' | 'entity';
}

export interface Hit {
  readonly list: string;
  readonly listVersion: string;
  readonly entryId: string;
  readonly entryType: PartyType;
  readonly programs: readonly string[];
  /** The listed name that scored best, and what kind of name it is. */
  readonly matchedName: string;
  readonly nameKind: ListedName['kind'];
  readonly score: number;
  readonly decision: Decision;
  readonly reasons: readonly string[];
  readonly tokens: readonly TokenPair[];
  readonly unmatched: { readonly query: readonly string[]; readonly listed: readonly string[] };
  readonly fields: readonly FieldEvidence[];
}

/** A weak alias (OFAC's "low quality" a.k.a.) is worth less than a real name. */
const WEAK_NAME_FACTOR = 0.9;
/** A person's name on an entity's entry (or the reverse) is worth less. */
const OTHER_TYPE_FACTOR = 0.9;

/** A word in more listed names than this weighs less: COMMON_WEIGHT_STEP less each time the count doubles, down to COMMON_WEIGHT_MIN. */
const COMMON_WORD = 20;
const COMMON_WEIGHT_STEP = 0.15;
const COMMON_WEIGHT_MIN = 0.35;

interface IndexedName {
  readonly entry: number;
  readonly name: string;
  readonly kind: ListedName['kind'];
  tokens: readonly NameToken[];
  /** How many of its words are keyed: a candidate must share keys with this many of the query's, at most two. */
  readonly keyed: number;
}

interface IndexedEntry {
  readonly list: SanctionsList;
  readonly entry: ListEntry;
}

/** The words of a name that are keyed: its telling ones, or all of them when none is. */
function keyedTokens(tokens: readonly NameToken[]): readonly NameToken[] {
  const telling = tokens.filter(isDistinctive);
  return telling.length > 0 ? telling : tokens;
}

/** Words this long or longer also get typo keys; longer words keep a prefix or suffix key through one typo. */
const TYPO_KEYS_MIN_LENGTH = 4;
const TYPO_KEYS_MAX_LENGTH = 6;

/**
 * The word and the word less each one of its letters: two words one typo apart (a letter
 * dropped, added or changed: TESIC, Teic; MAS'UD, Maud; AVIA, Awia) share one. Shorter
 * words are left out: their keys would be shared by too many names to narrow anything.
 */
function typoKeys(word: string): string[] {
  if (word.length < TYPO_KEYS_MIN_LENGTH || word.length > TYPO_KEYS_MAX_LENGTH) return [];
  const keys = [`d:${word}`];
  for (let i = 0; i < word.length; i += 1) keys.push(`d:${word.slice(0, i)}${word.slice(i + 1)}`);
  return keys;
}

/** Where the word is spelt: its first and last letters, or all of it when short. */
const spellingKeys = (word: string): string[] => (word.length <= 3 ? [`w:${word}`] : [`p:${word.slice(0, 3)}`, `x:${word.slice(-3)}`]);

function blockingKeys(token: NameToken): string[] {
  const { word } = token;
  const plain = withoutLead(word);
  // A word with a lead some transliterations drop (Djo, Khan) is also keyed as spelt without it (Jo, Han).
  const keys = [...spellingKeys(word), ...(plain === word ? [] : spellingKeys(plain)), ...typoKeys(word)];
  if (token.sound.length > 0) keys.push(`s:${token.sound}`);
  return keys;
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const values = map.get(key);
  if (values === undefined) map.set(key, [value]);
  else if (values[values.length - 1] !== value) values.push(value);
}

export class Screener {
  private readonly entries: IndexedEntry[] = [];
  private readonly names: IndexedName[] = [];
  private readonly postings = new Map<string, number[]>();
  private readonly documents = new Map<string, number[]>();
  private readonly addresses = new Map<string, number[]>();
  /** How many listed names each word is in. */
  private readonly frequency = new Map<string, number>();
  private readonly floor: number;
  // Per-query scratch, one slot per name: which query word last reached it, and how many did.
  private seenBy = new Float64Array(0);
  private shared = new Uint8Array(0);
  private queries = 0;

  /** The lists indexed at once (`indexNow`), or left for `build` to index. */
  constructor(readonly lists: readonly SanctionsList[], readonly settings: ThresholdSettings = DEFAULT_THRESHOLDS, indexNow = true) {
    this.floor = lowestReview(settings);
    if (!indexNow) return;
    for (const list of lists) for (const entry of list.entries.values()) this.add(list, entry);
    this.completeIndex();
  }

  /**
   * The same index, built with the event loop let turn between entries once it has been
   * held a few milliseconds (`turnIfHeld`): a list update read while the node runs (the
   * module in its process, at admission) must not hold the sequencer for the whole build
   * (OFAC's 9,000 entries take about a quarter of a second).
   */
  static async build(lists: readonly SanctionsList[], settings: ThresholdSettings = DEFAULT_THRESHOLDS): Promise<Screener> {
    const screener = new Screener(lists, settings, false);
    for (const list of lists) {
      for (const entry of list.entries.values()) {
        screener.add(list, entry);
        await turnIfHeld();
      }
    }
    screener.completeIndex();
    return screener;
  }

  get size(): { entries: number; names: number; keys: number } {
    return { entries: this.entries.length, names: this.names.length, keys: this.postings.size };
  }

  /** Once every entry is added: words weighed by how many names share them, and the per-query scratch sized. */
  private completeIndex(): void {
    for (const name of this.names) name.tokens = this.weighed(name.tokens);
    this.seenBy = new Float64Array(this.names.length);
    this.shared = new Uint8Array(this.names.length);
  }

  private add(list: SanctionsList, entry: ListEntry): void {
    const at = this.entries.push({ list, entry }) - 1;
    for (const { name, kind } of entry.names) {
      const tokens = tokensOf(name);
      const keyed = keyedTokens(tokens);
      if (keyed.length === 0) continue;
      const id = this.names.push({ entry: at, name, kind, tokens, keyed: keyed.length }) - 1;
      for (const word of new Set(tokens.map((token) => token.word))) this.frequency.set(word, (this.frequency.get(word) ?? 0) + 1);
      for (const token of keyed) for (const key of blockingKeys(token)) push(this.postings, key, id);
    }
    for (const document of entry.documents) push(this.documents, documentKey(document.number), at);
    for (const { address } of entry.digitalCurrencyAddresses) push(this.addresses, address, at);
  }

  /**
   * Words many listed names share (SHIPPING, ISLAMIC, MOHAMMED) tell less about which
   * party it is than rare ones: a word in more than COMMON_WORD names weighs less, the
   * more names the less, down to a floor.
   */
  private weighed(tokens: readonly NameToken[]): NameToken[] {
    return tokens.map((token) => {
      const names = this.frequency.get(token.word) ?? 0;
      if (!token.telling || names <= COMMON_WORD) return token;
      return { ...token, weight: Math.max(COMMON_WEIGHT_MIN, 1 - COMMON_WEIGHT_STEP * Math.log2(names / COMMON_WORD)) };
    });
  }

  /** Every entry the party may be, best first; ignored hits are left out. */
  screen(query: ScreeningQuery): Hit[] {
    const tokens = this.weighed(tokensOf(query.name));
    const best = new Map<number, Hit>();
    for (const id of this.candidates(tokens)) {
      const hit = this.hitOn(query, tokens, this.names[id]!);
      const previous = best.get(this.names[id]!.entry);
      if (hit !== undefined && (previous === undefined || hit.score > previous.score)) best.set(this.names[id]!.entry, hit);
    }
    for (const at of this.decisiveEntries(query)) {
      const entry = this.entries[at]!;
      const fields = decisiveEvidence(query, entry.entry);
      const primary = entry.entry.names[0];
      best.set(at, this.finish(entry, { matchedName: primary?.name ?? '', nameKind: primary?.kind ?? 'primary', score: 1, tokens: [], unmatched: { query: [], listed: [] }, fields }));
    }
    return [...best.values()].filter((hit) => hit.decision !== 'ignore').sort((a, b) => b.score - a.score || a.list.localeCompare(b.list) || a.entryId.localeCompare(b.entryId));
  }

  /** The names sharing blocking keys with enough of the query's telling words. */
  private candidates(tokens: readonly NameToken[]): number[] {
    const keyed = keyedTokens(tokens);
    const initials = tokens.filter((token) => token.word.length === 1).length;
    const generation = ++this.queries * 64;
    const touched: number[] = [];
    keyed.forEach((token, t) => {
      const mark = generation + t;
      for (const key of blockingKeys(token)) {
        for (const id of this.postings.get(key) ?? []) {
          if (this.seenBy[id] === mark) continue;
          if (this.seenBy[id]! < generation) {
            this.shared[id] = 0;
            touched.push(id);
          }
          this.seenBy[id] = mark;
          this.shared[id]!++;
        }
      }
    });
    return touched.filter((id) => {
      const shared = this.shared[id]!;
      const listed = this.names[id]!.keyed;
      return shared >= Math.min(2, keyed.length, listed) && this.mayReach(shared, keyed.length, listed, initials);
    });
  }

  /**
   * Whether a name sharing keys with `shared` of the query's telling words could still
   * reach the lowest review threshold: a word that shares no key is taken as unpaired
   * (a pair needs a close spelling or sound, which shares a key all but always), unless
   * the query's initials stand for it.
   */
  private mayReach(shared: number, queryWords: number, listedWords: number, initials: number): boolean {
    const leftOver = shared >= 2 ? LEFT_OVER_WEIGHT : 1;
    const reach = (paired: number, words: number): number => paired / (paired + leftOver * Math.max(0, words - paired));
    return Math.min(reach(shared, queryWords), reach(Math.min(listedWords, shared + initials), listedWords)) >= this.floor - FACTS_RAISE_MAX;
  }

  private decisiveEntries(query: ScreeningQuery): Set<number> {
    const found = new Set<number>();
    for (const number of query.documentNumbers ?? []) for (const at of this.documents.get(documentKey(number)) ?? []) found.add(at);
    for (const address of query.digitalCurrencyAddresses ?? []) for (const at of this.addresses.get(address) ?? []) found.add(at);
    return found;
  }

  private hitOn(query: ScreeningQuery, tokens: readonly NameToken[], name: IndexedName): Hit | undefined {
    const scored = scoreNames(tokens, name.tokens);
    const entry = this.entries[name.entry]!;
    let score = scored.score * (name.kind === 'weak' ? WEAK_NAME_FACTOR : 1);
    if (query.type !== undefined && entry.entry.type !== query.type) score *= OTHER_TYPE_FACTOR;
    if (score < this.floor - FACTS_RAISE_MAX) return undefined;
    const fields = supportingEvidence(query, entry.entry);
    for (const field of fields) if (field.effect !== 'decisive') score += field.effect;
    score = Math.max(0, Math.min(1, score));
    return this.finish(entry, { matchedName: name.name, nameKind: name.kind, score, tokens: scored.pairs, unmatched: { query: scored.unmatchedQuery, listed: scored.unmatchedListed }, fields }, query.type);
  }

  private finish(indexed: IndexedEntry, found: Pick<Hit, 'matchedName' | 'nameKind' | 'score' | 'tokens' | 'unmatched' | 'fields'>, screenedAs?: ScreeningQuery['type']): Hit {
    const { list, entry } = indexed;
    const decision = decide(found.score, thresholdsFor(this.settings, list.source, entry.type));
    const score = Math.round(found.score * 1000) / 1000;
    return {
      list: list.source, listVersion: list.version, entryId: entry.id, entryType: entry.type, programs: entry.programs,
      ...found, score, decision, reasons: reasonsFor(found, entry.type, screenedAs),
    };
  }
}

function reasonsFor(found: Pick<Hit, 'matchedName' | 'nameKind' | 'tokens' | 'unmatched' | 'fields'>, listedAs: PartyType, screenedAs: ScreeningQuery['type']): string[] {
  const reasons: string[] = [];
  if (found.tokens.length > 0) {
    const pairs = found.tokens.map((p) => (p.how === 'equal' ? p.query : `${p.query}~${p.listed} (${p.how} ${p.similarity.toFixed(2)})`));
    reasons.push(`${found.nameKind === 'primary' ? 'name' : `${found.nameKind} name`} "${found.matchedName}": ${pairs.join(', ')}`);
  }
  if (found.unmatched.query.length > 0) reasons.push(`not in the listed name: ${found.unmatched.query.join(' ')}`);
  if (found.unmatched.listed.length > 0) reasons.push(`listed words not in the name: ${found.unmatched.listed.join(' ')}`);
  if (found.nameKind === 'weak') reasons.push('a weak alias counts for less');
  if (screenedAs !== undefined && screenedAs !== listedAs) reasons.push(`listed as ${listedAs}, screened as ${screenedAs}`);
  for (const field of found.fields) reasons.push(field.effect === 'decisive' ? `same ${field.field === 'document' ? 'document' : 'digital-currency address'}: ${field.detail}` : field.detail);
  return reasons;
}
