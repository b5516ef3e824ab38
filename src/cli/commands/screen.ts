import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError, EXIT, type Cli } from '../context.js';
import { table } from '../format.js';
import type { Hit, ScreeningQuery, Screener } from '../../modules/compliance/screening/screener.js';

/** The lists named on the command line, else in DEPOSITUM_SANCTIONS_LISTS (comma-separated). */
function listPaths(given: readonly string[]): string[] {
  const paths = given.length > 0 ? [...given] : (process.env['DEPOSITUM_SANCTIONS_LISTS'] ?? '').split(',').filter((path) => path !== '');
  if (paths.length === 0) throw new CliError('no list to screen against: give --list (an OFAC SDN directory, the UN consolidated .xml, a watchlist .csv), or set DEPOSITUM_SANCTIONS_LISTS', EXIT.usage, 'missing_option', 'usage_error', '--list');
  return paths;
}

async function screenerFor(paths: readonly string[]): Promise<{ screener: Screener; outcomeOf: (hits: readonly Hit[]) => string }> {
  const [{ readListAt }, { ListFormatError }, { Screener: Built }, { outcomeOf }] = await Promise.all([
    import('../../modules/compliance/screening/load.js'), import('../../modules/compliance/screening/lists.js'), import('../../modules/compliance/screening/screener.js'),
    import('../../modules/compliance/screening/outcome.js'),
  ]);
  try {
    return { screener: new Built(paths.map(readListAt)), outcomeOf };
  } catch (error) {
    if (error instanceof ListFormatError) throw new CliError(error.message, EXIT.usage, 'invalid_list', 'usage_error', '--list');
    throw error;
  }
}


function describe(query: ScreeningQuery, hits: readonly Hit[], outcome: string): string {
  if (hits.length === 0) return `${query.name}: clear (no hit at the review threshold)`;
  const rows = hits.map((hit) => [hit.decision, hit.score.toFixed(3), `${hit.list}:${hit.entryId}`, hit.matchedName, hit.programs.join(' ')]);
  return [`${query.name}: ${outcome}`, table(['decision', 'score', 'entry', 'listed name', 'programs'], rows, { right: new Set([1]) }), ...hits.flatMap((hit) => [`${hit.list}:${hit.entryId}`, ...hit.reasons.map((reason) => `  ${reason}`)])].join('\n');
}

type Row = Record<string, string | undefined>;

/** A client book: CSV with a header `name,type` (type optional: person or entity). */
async function readBook(file: string): Promise<ScreeningQuery[]> {
  const { parse } = await import('csv-parse/sync');
  let rows: Row[];
  try {
    rows = parse(readFileSync(file), { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Row[];
  } catch (error) {
    throw new CliError(`--names-file ${file}: ${(error as Error).message}`, EXIT.usage, 'invalid_file', 'usage_error', '--names-file');
  }
  return rows.map((row, i) => {
    const { name, type } = row;
    if (name === undefined || name === '') throw new CliError(`--names-file ${file}, line ${i + 2}: no name (header name,type)`, EXIT.usage, 'invalid_file', 'usage_error', '--names-file');
    if (type !== undefined && type !== '' && type !== 'person' && type !== 'entity') throw new CliError(`--names-file ${file}, line ${i + 2}: type "${type}" is neither person nor entity`, EXIT.usage, 'invalid_file', 'usage_error', '--names-file');
    return { name, ...(type === 'person' || type === 'entity' ? { type } : {}) };
  });
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `depositum screen`: sanctions screening on this machine, against list files; no node is needed. */
export function screenCommands(program: Command, cli: Cli): void {
  program.command('screen')
    .description('screen a name (or a whole client book) against sanctions lists: hits with list, entry, matched name, score, decision and reasons')
    .option('--name <name>', 'the name to screen')
    .addOption(new Option('--type <type>', 'what the party is').choices(['person', 'entity']))
    .option('--dob <date>', "the person's date of birth (YYYY or YYYY-MM-DD)")
    .option('--nationality <country>', 'ISO 3166 code or English name')
    .option('--document <number>', 'an identity document number (repeatable): an equal listed one is decisive', collect, [])
    .option('--address <address>', 'a digital-currency address (repeatable): an equal listed one is decisive', collect, [])
    .option('--list <path>', 'a list: an OFAC SDN directory, the UN consolidated .xml, or a watchlist .csv (repeatable; default: DEPOSITUM_SANCTIONS_LISTS)', collect, [])
    .option('--names-file <file>', 'screen every row of a CSV `name,type`: one JSON line per name')
    .action(async (o: { name?: string; type?: 'person' | 'entity'; dob?: string; nationality?: string; document: string[]; address: string[]; list: string[]; namesFile?: string }) => {
      if ((o.name === undefined) === (o.namesFile === undefined)) throw new CliError('give --name or --names-file (one of them)', EXIT.usage, 'missing_option', 'usage_error', '--name');
      const { screener, outcomeOf } = await screenerFor(listPaths(o.list));
      if (o.namesFile !== undefined) {
        for (const query of await readBook(o.namesFile)) {
          const hits = screener.screen(query);
          process.stdout.write(`${JSON.stringify({ name: query.name, type: query.type ?? null, outcome: outcomeOf(hits), hits })}\n`);
        }
        return;
      }
      const query: ScreeningQuery = {
        name: o.name!, ...(o.type !== undefined && { type: o.type }), ...(o.dob !== undefined && { dateOfBirth: o.dob }), ...(o.nationality !== undefined && { nationality: o.nationality }),
        documentNumbers: o.document, digitalCurrencyAddresses: o.address,
      };
      const hits = screener.screen(query);
      const lists = screener.lists.map((list) => ({ source: list.source, version: list.version, entries: list.entries.size, ...(list.publishedAt !== undefined && { publishedAt: list.publishedAt }) }));
      cli.print({ name: query.name, type: query.type ?? null, outcome: outcomeOf(hits), lists, hits }, () => describe(query, hits, outcomeOf(hits)));
    });
}
