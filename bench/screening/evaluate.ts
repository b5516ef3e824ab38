import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { readOfacSdn } from '../../src/modules/compliance/screening/ofac.js';
import { readUnConsolidated } from '../../src/modules/compliance/screening/un.js';
import type { SanctionsList } from '../../src/modules/compliance/screening/lists.js';
import { wordsOf } from '../../src/modules/compliance/screening/normalize.js';
import { Screener } from '../../src/modules/compliance/screening/screener.js';
import { generatedVariants, handLabelled, ordinaryNames, recombinedOrdinaryNames } from './evaluation.js';

/**
 * `node --import tsx bench/screening/evaluate.ts [--per-kind N] [--seed N] [--misses]`:
 * the matcher's recall and precision at the review threshold on the labelled set, against
 * the full OFAC SDN and UN lists in ../shared/data/sanctions.
 * * recall: the true pairs whose entry is among the hits (review or block);
 * * precision: the hits that are right (the expected entry, or an entry listed under the
 *   same name: the same party on both lists, or a namesake no name matcher can tell apart)
 *   over all hits, true pairs and ordinary names together;
 * * alert precision: the names with any hit whose hits include a right one.
 */
const { values } = parseArgs({ options: { 'per-kind': { type: 'string', default: '300' }, seed: { type: 'string', default: '7' }, misses: { type: 'boolean', default: false } } });
const SANCTIONS = new URL('../../../shared/data/sanctions/', import.meta.url).pathname;

const lists: SanctionsList[] = [readOfacSdn(`${SANCTIONS}ofac`), readUnConsolidated(readFileSync(`${SANCTIONS}un/consolidated.xml`, 'utf8'))];
const screener = new Screener(lists);
const seed = Number(values.seed);

/** The names an entry is listed under, as sorted word lists: two entries sharing one are namesakes. */
const namesOf = new Map<string, Set<string>>();
for (const list of lists) for (const entry of list.entries.values()) namesOf.set(`${list.source}:${entry.id}`, new Set(entry.names.map((n) => wordsOf(n.name).sort().join(' '))));
const listedNames = new Set([...namesOf.values()].flatMap((names) => [...names]));
const namesakes = (a: string, b: string) => [...(namesOf.get(a) ?? [])].some((name) => namesOf.get(b)?.has(name));

// An "ordinary" name that a list holds word for word is not a false pair: it is left out.
const negatives = [...ordinaryNames(), ...recombinedOrdinaryNames(1_000, seed)].filter((n) => !listedNames.has(wordsOf(n.query).sort().join(' ')));
const positives = [...handLabelled(), ...generatedVariants(lists, Number(values['per-kind']), seed)];

const byVariant = new Map<string, { found: number; total: number }>();
let found = 0;
let hits = 0;
let rightHits = 0;
let alerts = 0;
let rightAlerts = 0;
const misses: string[] = [];
const wrong: string[] = [];
const started = performance.now();
for (const labelled of [...positives, ...negatives]) {
  const got = screener.screen({ name: labelled.query, ...(labelled.type !== undefined && { type: labelled.type }) });
  const right = got.filter((hit) => labelled.expected.some((expected) => expected === `${hit.list}:${hit.entryId}` || namesakes(expected, `${hit.list}:${hit.entryId}`)));
  hits += got.length;
  rightHits += right.length;
  if (got.length > 0) alerts++;
  if (right.length > 0) rightAlerts++;
  for (const hit of got) if (!right.includes(hit)) wrong.push(`${labelled.query} [${labelled.variant}] → ${hit.matchedName} (${hit.list}:${hit.entryId}) ${hit.score}`);
  if (labelled.expected.length === 0) continue;
  const variant = labelled.variant.startsWith('hand') ? 'hand-written' : labelled.variant;
  const tally = byVariant.get(variant) ?? { found: 0, total: 0 };
  tally.total++;
  const isFound = got.some((hit) => labelled.expected.includes(`${hit.list}:${hit.entryId}`));
  if (isFound) tally.found++;
  else misses.push(`${labelled.query} [${labelled.variant}] expected ${labelled.expected.join('|')}; got ${got.slice(0, 2).map((h) => `${h.matchedName} ${h.score}`).join(', ') || 'nothing'}`);
  found += isFound ? 1 : 0;
  byVariant.set(variant, tally);
}
const seconds = (performance.now() - started) / 1000;
const pct = (a: number, b: number) => `${(100 * a / Math.max(1, b)).toFixed(2)}%`;
console.log(`screening evaluation — ${screener.size.entries} entries, ${screener.size.names} names; seed ${seed}; thresholds review ${screener.settings.default.review}, block ${screener.settings.default.block}`);
console.log(`true pairs ${positives.length}, ordinary names ${negatives.length}`);
console.log(`recall            ${pct(found, positives.length)} (${found}/${positives.length})`);
console.log(`precision (hits)  ${pct(rightHits, hits)} (${rightHits}/${hits})`);
console.log(`precision (alerts) ${pct(rightAlerts, alerts)} (${rightAlerts}/${alerts})`);
console.log(`ordinary names with a hit: ${negatives.length - negatives.filter((n) => screener.screen({ name: n.query, ...(n.type !== undefined && { type: n.type }) }).length === 0).length}`);
for (const [variant, { found: f, total }] of byVariant) console.log(`  ${variant.padEnd(16)} ${pct(f, total)} (${f}/${total})`);
console.log(`${Math.round((positives.length + negatives.length) / seconds)} names/s`);
if (values.misses) {
  console.log('\nmissed:'); for (const line of misses) console.log(`  ${line}`);
  console.log('\nwrong hits:'); for (const line of wrong.slice(0, 200)) console.log(`  ${line}`);
}
