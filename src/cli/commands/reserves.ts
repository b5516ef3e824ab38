import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { verifyHoldingProof, type HoldingProof } from '../../modules/reserves/proof.js';
import { reportBytes, type DailyReport } from '../../modules/reserves/report.js';
import { canonicalJson } from '../../chain/index.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { groupDigits, table } from '../format.js';

interface Rule { rule: string; value: string; limit: string; status: string }
interface Check { asset: string; profile: string; registerVersion: number; asOf: string; currency: string; supply: string; reserves: string; coverage: string; liquidity: string; status: string; rules: Rule[]; tiers: { tier: string; value: string; share: string }[]; ineligibleHoldings: { instrumentId: string; value: string; why: string }[] }
interface Stress { asset: string; supply: string; reserves: string; coverage: string; results: { scenario: string; description: string; reservesAfter: string; coverage: string; hoursCovered: number | null; firstBreach: string | null }[] }
interface Proposal { id: string; status: string; feasible: boolean; topTargetBp: number; trades: { action: string; instrumentId: string | null; class: string | null; tier: string | null; amount: string }[]; estimatedCost: string; note: string }
interface ReportStatus { report: string; status: string; sha256: string | null; holdingsRoot: string | null; transaction: string | null; problem: string | null }
interface OnLedger { asset: string; supply: string; manager: string | null; throttle: { ceiling: string; reason: string; sinceMs: number } | null; attestations: { report: string; reportHash: string; holdingsRoot: string; holdings: number; reserves: string; supply: string; supplyAtAttestation: string; covered: boolean; attestedBy: string }[]; minters?: { minter: string; remaining: string; withheld: string }[] }

const WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const today = () => new Date().toISOString().slice(0, 10);

/** The reserves module's commands: a stablecoin's reserve register, its checks, stress tests, rebalancing, the throttle and daily attestations. */
export function reservesCommands(program: Command, cli: Cli): void {
  const reserves = program.command('reserves').description("the reserves module: a stablecoin's reserve register, rules per profile, stress tests, rebalancing proposals, the minting throttle and daily attestations");
  const client = () => cli.client();
  const asset = async () => (await (await client()).request<{ asset: string }>('GET', '/v1/reserves/status')).asset;
  const onLedger = async () => (await client()).request<OnLedger>('GET', `/v1/assets/${await asset()}/reserves`);

  reserves.command('import <file>')
    .description('import a custodian position file (CSV), a price file or FX rates: a new register version; a file with any bad cell changes nothing')
    .addOption(new Option('--kind <kind>', 'what the file holds').choices(['positions', 'prices', 'fx']).default('positions'))
    .option('--as-of <date>', 'the day the positions are valued as of (default today, UTC)')
    .action(async (file: string, o: { kind: string; asOf?: string }) => {
      const imported = await (await client()).request<{ version: number; kind: string; sha256: string; rows: number; asOf: string }>('POST', '/v1/reserves/imports', { kind: o.kind, name: basename(file), csv: readFileSync(file, 'utf8'), ...(o.asOf !== undefined && { asOf: o.asOf }) });
      cli.print(imported, () => `imported ${basename(file)} as register version ${imported.version} (${imported.kind}, ${imported.rows} rows, as of ${imported.asOf}), sha256 ${imported.sha256}`);
    });

  reserves.command('check')
    .description("every rule of a profile on the register against the live supply: value, limit, pass / warning / breach")
    .addOption(new Option('--profile <profile>', 'the rules (default the module\'s)').choices(['hk', 'genius', 'mica', 'mica-significant']))
    .action(async (o: { profile?: string }) => {
      const check = await (await client()).request<Check>('GET', `/v1/reserves/check${o.profile === undefined ? '' : `?profile=${o.profile}`}`);
      cli.print(check, () => [
        `${check.asset} under ${check.profile} (register v${check.registerVersion} as of ${check.asOf}): ${check.status}`,
        `supply ${groupDigits(check.supply)} ${check.currency}, eligible reserves ${groupDigits(check.reserves)} ${check.currency}, coverage ${check.coverage}, liquidity ${check.liquidity}`,
        table(['rule', 'value', 'limit', 'status'], check.rules.map((r) => [r.rule, r.value, r.limit, r.status])),
        table(['tier', 'value', 'share'], check.tiers.map((t) => [t.tier, groupDigits(t.value), t.share]), { right: new Set([1, 2]) }),
        ...(check.ineligibleHoldings.length === 0 ? [] : [table(['not eligible', 'value', 'why'], check.ineligibleHoldings.map((h) => [h.instrumentId, groupDigits(h.value), h.why]))]),
      ].join('\n'));
    });

  reserves.command('stress')
    .description("the seed's stress scenarios on the current register (a 15% fall, a run, the payout channel down, a jurisdiction frozen), and custom ones")
    .option('--scenarios <file>', 'a JSON array of scenarios: name, description, haircutsBp per class, runShareBp, frozenJurisdictions, unavailableCustodians')
    .action(async (o: { scenarios?: string }) => {
      const scenarios = o.scenarios === undefined ? undefined : JSON.parse(readFileSync(o.scenarios, 'utf8')) as unknown;
      const stress = await (await client()).request<Stress>('POST', '/v1/reserves/stress', scenarios === undefined ? {} : { scenarios });
      cli.print(stress, () => [
        `${stress.asset}: supply ${groupDigits(stress.supply)}, reserves ${groupDigits(stress.reserves)}, coverage ${stress.coverage}`,
        table(['scenario', 'reserves after', 'coverage', 'hours covered', 'first rule broken', 'what'], stress.results.map((r) => [r.scenario, groupDigits(r.reservesAfter), r.coverage, r.hoursCovered === null ? '-' : String(r.hoursCovered), r.firstBreach ?? 'none', r.description]), { maxWidths: { 5: 70 } }),
      ].join('\n'));
    });

  const rebalance = reserves.command('rebalance').description('propose the trades that restore the profile at least cost; the treasurer accepts or rejects; nothing is traded');
  rebalance.command('propose')
    .option('--yields <file>', 'annual yields in percent per class, as JSON ({"tbill": 3.1, "cash": 3.5})')
    .action(async (o: { yields?: string }) => {
      const proposal = await (await client()).request<Proposal>('POST', '/v1/reserves/proposals', o.yields === undefined ? {} : { yields: JSON.parse(readFileSync(o.yields, 'utf8')) as unknown });
      cli.print(proposal, () => [`proposal ${proposal.id}: ${proposal.note}; estimated cost ${groupDigits(proposal.estimatedCost)}`, ...(proposal.trades.length === 0 ? [] : [table(['action', 'holding', 'class', 'tier', 'amount'], proposal.trades.map((t) => [t.action, t.instrumentId ?? '', t.class ?? '', t.tier ?? '', groupDigits(t.amount)]), { right: new Set([4]) })])].join('\n'));
    });
  for (const [verb, accept] of [['accept', true], ['reject', false]] as const) {
    rebalance.command(`${verb} <id>`).option('--note <text>', 'why').action(async (id: string, o: { note?: string }) => {
      const decided = await (await client()).request<Proposal>('POST', `/v1/reserves/proposals/${encodeURIComponent(id)}/decision`, { accept, ...(o.note !== undefined && { note: o.note }) });
      cli.print(decided, () => `proposal ${decided.id}: ${decided.status}`);
    });
  }

  reserves.command('status')
    .description('the throttle on minting as the ledger holds it, the minters\' allowances, and the latest attestations')
    .addOption(new Option('--wait <state>', 'first wait until minting is throttled, or clear').choices(['throttled', 'clear']))
    .action(async (o: { wait?: 'throttled' | 'clear' }) => {
      let view = await onLedger();
      for (const deadline = Date.now() + WAIT_MS; o.wait !== undefined && (view.throttle === null) !== (o.wait === 'clear'); view = await onLedger()) {
        if (Date.now() > deadline) throw new CliError(`minting of ${view.asset} is still not ${o.wait} after ${WAIT_MS / 1000} s: is the reserves module running?`, EXIT.rejected, 'module_pending', 'api_error');
        await sleep(100);
      }
      cli.print(view, () => [
        `${view.asset}: supply ${groupDigits(view.supply)}; reserve manager ${view.manager ?? 'none'}; minting ${view.throttle === null ? 'not throttled' : `throttled to ${groupDigits(view.throttle.ceiling)} per minter (${view.throttle.reason})`}`,
        ...(view.minters === undefined ? [] : [table(['minter', 'may mint', 'withheld'], view.minters.map((m) => [m.minter, groupDigits(m.remaining), groupDigits(m.withheld)]), { right: new Set([1, 2]) })]),
        ...(view.attestations.length === 0 ? [] : [table(['report', 'reserves', 'supply', 'covered', 'report sha256'], view.attestations.slice(0, 5).map((a) => [a.report, groupDigits(a.reserves), groupDigits(a.supplyAtAttestation), a.covered ? 'yes' : 'NO', a.reportHash]))]),
      ].join('\n'));
    });

  reserves.command('report [date]')
    .description("make a day's report (default today), attest it on the chain and wait; or write its document with --format")
    .addOption(new Option('--format <format>', 'write the document instead').choices(['json', 'csv', 'html']))
    .option('--out <file>', 'where to write the document (default standard output)')
    .action(async (date: string | undefined, o: { format?: string; out?: string }) => {
      const api = await client();
      const day = date ?? today();
      if (o.format !== undefined) {
        const document = await api.request<unknown>('GET', `/v1/reserves/reports/${day}?format=${o.format}`);
        const text = typeof document === 'string' ? document : canonicalJson(document);
        if (o.out === undefined) process.stdout.write(text);
        else {
          writeFileSync(o.out, text);
          cli.print({ report: day, format: o.format, out: o.out, bytes: Buffer.byteLength(text) }, () => `wrote the ${o.format} report of ${day} to ${o.out} (${Buffer.byteLength(text)} bytes)`);
        }
        return;
      }
      await api.request('POST', '/v1/reserves/reports', { report: day });
      let status = await api.request<ReportStatus>('GET', `/v1/reserves/reports/${day}`);
      for (const deadline = Date.now() + WAIT_MS; status.status === 'pending'; status = await api.request<ReportStatus>('GET', `/v1/reserves/reports/${day}`)) {
        if (Date.now() > deadline) throw new CliError(`report ${day} is still pending after ${WAIT_MS / 1000} s: is the reserves module running?`, EXIT.rejected, 'module_pending', 'api_error');
        await sleep(100);
      }
      if (status.status === 'failed') throw new CliError(`report ${day} not attested: ${status.problem ?? 'no reason given'}`, EXIT.rejected, 'attestation_failed', 'invalid_request_error');
      cli.print(status, () => `report ${day}: attested in transaction ${status.transaction ?? '?'}, sha256 ${status.sha256 ?? '?'}, holdings root ${status.holdingsRoot ?? '?'}`);
    });

  reserves.command('verify <date>')
    .description("check a day's attestation on the chain: the report's hash and holdings root, supply covered by reserves; with --holding, one holding against the attested root")
    .option('--holding <instrument>', 'also prove this holding is in the attested register')
    .action(async (date: string, o: { holding?: string }) => {
      const api = await client();
      const view = await onLedger();
      const attestation = view.attestations.find((a) => a.report === date);
      if (attestation === undefined) throw new CliError(`no attestation of ${view.asset} for ${date} on the chain`, EXIT.rejected, 'not_attested', 'invalid_request_error');
      const problems: string[] = [];
      const report = await api.request<DailyReport>('GET', `/v1/reserves/reports/${date}?format=json`);
      const { sha256 } = reportBytes(report);
      if (sha256 !== attestation.reportHash) problems.push(`the report's SHA-256 ${sha256} is not the attested ${attestation.reportHash}`);
      if (report.holdingsRoot !== attestation.holdingsRoot) problems.push(`the report's holdings root ${report.holdingsRoot} is not the attested ${attestation.holdingsRoot}`);
      if (!attestation.covered) problems.push(`reserves ${attestation.reserves} do not cover the supply (${attestation.supply} in the report, ${attestation.supplyAtAttestation} on the ledger when attested)`);
      let holding: HoldingProof | undefined;
      if (o.holding !== undefined) {
        holding = await api.request<HoldingProof>('GET', `/v1/reserves/reports/${date}/holdings/${encodeURIComponent(o.holding)}/proof`);
        if (!verifyHoldingProof(holding, attestation.holdingsRoot)) problems.push(`holding ${o.holding}'s audit path does not lead to the attested root`);
      }
      const result = { asset: view.asset, report: date, verified: problems.length === 0, problems, reserves: attestation.reserves, supply: attestation.supplyAtAttestation, ...(holding !== undefined && { holding: JSON.parse(holding.leaf) as unknown }) };
      cli.print(result, () => problems.length > 0 ? `NOT verified:\n  ${problems.join('\n  ')}` : `verified: report ${date} of ${view.asset} is the one attested on the chain (sha256 ${sha256}); reserves ${groupDigits(attestation.reserves)} cover the supply ${groupDigits(attestation.supplyAtAttestation)}${o.holding === undefined ? '' : `; holding ${o.holding} is leaf ${holding!.index} of ${holding!.size} under the attested root`}`);
      if (problems.length > 0) process.exitCode = EXIT.rejected;
    });
}
