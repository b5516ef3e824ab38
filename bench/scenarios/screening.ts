import { readFileSync } from 'node:fs';
import { readOfacSdn } from '../../src/modules/compliance/screening/ofac.js';
import { readUnConsolidated } from '../../src/modules/compliance/screening/un.js';
import { Screener } from '../../src/modules/compliance/screening/screener.js';
import { generatedVariants, ordinaryNames, recombinedOrdinaryNames } from '../screening/evaluation.js';
import { summarize, type Figures } from '../stats.js';

const SANCTIONS = new URL('../../../shared/data/sanctions/', import.meta.url).pathname;

/**
 * Names screened per second on one core against the full OFAC SDN and UN lists: the
 * evaluation set's listed-name variants and ordinary names, half and half, `names` in all,
 * each timed. The check: every exact primary name of the sample is found.
 */
export function screeningScenario(options: { names: number; seed: number }): Figures {
  const lists = [readOfacSdn(`${SANCTIONS}ofac`), readUnConsolidated(readFileSync(`${SANCTIONS}un/consolidated.xml`, 'utf8'))];
  const indexStarted = performance.now();
  const screener = new Screener(lists);
  const indexMs = performance.now() - indexStarted;
  const half = Math.ceil(options.names / 2);
  const listed = generatedVariants(lists, Math.ceil(half / 6), options.seed).slice(0, half);
  const ordinary = [...ordinaryNames(), ...recombinedOrdinaryNames(half, options.seed)].slice(0, options.names - listed.length);
  const queries = [...listed, ...ordinary];
  const latencies = new Float64Array(queries.length);
  const cpuStarted = process.cpuUsage();
  const started = performance.now();
  let hits = 0;
  queries.forEach((labelled, i) => {
    const t = performance.now();
    hits += screener.screen({ name: labelled.query, ...(labelled.type !== undefined && { type: labelled.type }) }).length;
    latencies[i] = performance.now() - t;
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  const sample = [...lists[0]!.entries.values()].slice(0, 200);
  const missed = sample.filter((entry) => !screener.screen({ name: entry.names[0]!.name }).some((hit) => hit.entryId === entry.id));
  const problem = missed.length === 0 ? null : `${missed.length} listed names not found as themselves, e.g. ${missed[0]!.names[0]!.name}`;
  return summarize({
    scenario: 'screening', ops: queries.length, seconds, latenciesMs: latencies, cpuS: (cpu.user + cpu.system) / 1e6,
    ok: problem === null, problem, target: '≥ 2,000 names/s', met: (opsPerS) => opsPerS >= 2_000,
    note: `${queries.length} names (${listed.length} variants of listed names, ${ordinary.length} ordinary) against ${screener.size.entries} entries / ${screener.size.names} names (${screener.size.keys} blocking keys, indexed in ${Math.round(indexMs)} ms); ${hits} hits`,
  });
}
