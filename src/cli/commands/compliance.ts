import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { formatAmount } from '../../core/amount.js';
import type { DepositumClient } from '../../sdk/index.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { groupDigits, table } from '../format.js';

interface Hit { list: string; entryId: string; matchedName: string; score: number; decision: string; programs: string[]; reasons: string[] }
interface Screening { id: string; participant: string; legalName: string; cause: string; outcome: string; hits: Hit[]; decision: string | null; decidedBy: string | null }
interface Alert { id: string; rule: string; subject: string; detail: string; status: string; caseId: string | null; blockTimeMs: number; evidence: { payments: { transaction: string | null; from: string; to: string; amount: string; decimals: number; currency: string }[]; path?: string[] } }
interface Case { id: string; status: string; subject: string; assignee: string | null; decidedBy: string | null; decisionNote: string | null; action: { freeze: string } | null; actionStatus: string; actionTransaction: string | null; actionProblem: string | null }
interface Note { kind: string; author: string; text: string; fileName: string | null; sha256: string | null; atMs: number }
interface Report { id: string; kind: string; format: string; covers: string; status: string; sha256: string | null; transaction: string | null; problem: string | null }
interface Monitoring { followedTo: string | null; eventTypes: string[]; payments: number; openAlerts: number }

const WAIT_MS = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it gives a value, for at most a minute: the module works asynchronously. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new CliError(`still waiting after ${WAIT_MS / 1000} s for ${what}: is the compliance module running?`, EXIT.rejected, 'module_pending', 'api_error');
    await sleep(100);
  }
}

/** Until the module has handled every event of its types on the ledger so far. */
async function caughtUp(client: DepositumClient): Promise<void> {
  await waitFor('the compliance module to follow the ledger', async () => {
    const state = await client.request<Monitoring>('GET', '/v1/compliance/monitoring');
    const ahead = await client.events({ ...(state.followedTo !== null && { after: state.followedTo }), types: state.eventTypes, limit: 1 });
    return ahead.data.length === 0 ? true : undefined;
  });
}

const hitRows = (hits: readonly Hit[]) => hits.map((hit) => [hit.decision, hit.score.toFixed(3), `${hit.list}:${hit.entryId}`, hit.matchedName, hit.programs.join(' ')]);
const amountOf = (p: Alert['evidence']['payments'][number]) => `${groupDigits(formatAmount(BigInt(p.amount), p.decimals))} ${p.currency}`;

function describeCase(c: Case): string {
  const action = c.action === null ? '' : `; freeze ${c.action.freeze}: ${c.actionStatus}${c.actionTransaction === null ? '' : ` in ${c.actionTransaction}`}${c.actionProblem === null ? '' : ` (${c.actionProblem})`}`;
  return `case ${c.id}: ${c.status}, on ${c.subject}, assigned to ${c.assignee ?? 'nobody'}${c.decidedBy === null ? '' : `; decided by ${c.decidedBy}: ${c.decisionNote ?? ''}`}${action}`;
}

const describeReport = (r: Report) => `${r.id}: ${r.kind.replace('_', ' ')} report (${r.format}, ${r.covers}): ${r.status}${r.sha256 === null ? '' : `, sha256 ${r.sha256}`}${r.transaction === null ? '' : `, on the ledger in ${r.transaction}`}${r.problem === null ? '' : ` (${r.problem})`}`;

/** `depositum compliance`: the compliance module's desk on a running node: screening, alerts, cases, reports. */
export function complianceCommands(program: Command, cli: Cli): void {
  const compliance = program.command('compliance').description("the compliance desk (the node's compliance module): screenings, alerts, cases and reports");
  const client = () => cli.client();

  compliance.command('screenings')
    .description('participants screened at registration, on change and on list updates, newest first')
    .option('--participant <id>', 'one participant')
    .addOption(new Option('--outcome <outcome>', 'only these').choices(['block', 'review', 'clear']))
    .action(async (o: { participant?: string; outcome?: string }) => {
      const query = [o.participant === undefined ? '' : `&participant=${encodeURIComponent(o.participant)}`, o.outcome === undefined ? '' : `&outcome=${o.outcome}`].join('');
      const { data } = await (await client()).request<{ data: Screening[] }>('GET', `/v1/compliance/screenings?limit=500${query}`);
      cli.print(data, () => [
        table(['screening', 'participant', 'legal name', 'cause', 'outcome', 'decision'], data.map((s) => [s.id, s.participant, s.legalName, s.cause, s.outcome, s.decision === null ? '' : `${s.decision} by ${s.decidedBy ?? ''}`])),
        ...data.filter((s) => s.hits.length > 0).slice(0, 5).map((s) => `${s.participant} (${s.cause}):\n${table(['decision', 'score', 'entry', 'listed name', 'programs'], hitRows(s.hits))}`),
      ].join('\n'));
    });

  for (const [verb, decision, what] of [['clear', 'cleared', 'the hits are false: the participant may join or be approved under this name'], ['confirm', 'confirmed', 'the hits are true']] as const) {
    compliance.command(`${verb} <screening>`)
      .description(`decide a screening: ${what}`)
      .requiredOption('--note <text>', 'why')
      .action(async (screening: string, o: { note: string }) => {
        const decided = await (await client()).request<Screening>('POST', `/v1/compliance/screenings/${encodeURIComponent(screening)}/decision`, { decision, note: o.note });
        cli.print(decided, () => `screening ${decided.id} of ${decided.participant} (${decided.legalName}): ${decision} by ${decided.decidedBy ?? ''}`);
      });
  }

  compliance.command('alerts')
    .description('alerts raised by transaction monitoring, with their evidence')
    .addOption(new Option('--status <status>', 'only these').choices(['open', 'in_case']))
    .option('--rule <rule>', 'only this rule (structuring, cycle, fan_in, …)')
    .option('--wait', 'first wait until the module has looked at every payment so far', false)
    .action(async (o: { status?: string; rule?: string; wait: boolean }) => {
      const api = await client();
      if (o.wait) await caughtUp(api);
      const query = [o.status === undefined ? '' : `&status=${o.status}`, o.rule === undefined ? '' : `&rule=${encodeURIComponent(o.rule)}`].join('');
      const { data } = await api.request<{ data: Alert[] }>('GET', `/v1/compliance/alerts?limit=500${query}`);
      cli.print(data, () => table(['alert', 'rule', 'subject', 'status', 'detail'], data.map((a) => [a.id, a.rule, a.subject, a.caseId === null ? a.status : `case ${a.caseId}`, a.detail]), { maxWidths: { 4: 90 } }));
    });

  const cases = compliance.command('case').description('work a case: open, note, decide, show');
  cases.command('open <id>')
    .description('open a case on alerts: named, or every open alert involving an account')
    .option('--alert <id...>', 'the alerts')
    .option('--involving <account>', 'every open alert whose evidence involves this account')
    .option('--assign <participant>', 'who works it (default: you)')
    .option('--note <text>', 'a first comment')
    .action(async (id: string, o: { alert?: string[]; involving?: string; assign?: string; note?: string }) => {
      if ((o.alert === undefined) === (o.involving === undefined)) throw new CliError('give --alert or --involving (one of them)', EXIT.usage, 'missing_option', 'usage_error', '--alert');
      const opened = await (await client()).request<Case>('POST', '/v1/compliance/cases', {
        id, ...(o.alert !== undefined && { alerts: o.alert }), ...(o.involving !== undefined && { involving: o.involving }), ...(o.assign !== undefined && { assignee: o.assign }), ...(o.note !== undefined && { note: o.note }),
      });
      cli.print(opened, () => describeCase(opened));
    });

  cases.command('note <id>')
    .description('a comment, an attachment (its SHA-256: the file stays with you), an assignment or an escalation')
    .option('--comment <text>', 'a comment')
    .option('--attach <file>', 'a document: its name and SHA-256 are kept')
    .option('--assign <participant>', 'give the case to another officer')
    .option('--escalate <text>', 'escalate, saying why')
    .option('--text <text>', 'with --attach or --assign: what it is')
    .action(async (id: string, o: { comment?: string; attach?: string; assign?: string; escalate?: string; text?: string }) => {
      const given = [o.comment, o.attach, o.assign, o.escalate].filter((v) => v !== undefined).length;
      if (given !== 1) throw new CliError('give one of --comment, --attach, --assign, --escalate', EXIT.usage, 'missing_option', 'usage_error', '--comment');
      let body: Record<string, string>;
      if (o.comment !== undefined) body = { kind: 'comment', text: o.comment };
      else if (o.escalate !== undefined) body = { kind: 'escalation', text: o.escalate };
      else if (o.assign !== undefined) body = { kind: 'assignment', text: o.text ?? `assigned to ${o.assign}`, assignee: o.assign };
      else {
        let bytes: Buffer;
        try {
          bytes = readFileSync(o.attach!);
        } catch (error) {
          throw new CliError(`--attach ${o.attach!}: ${(error as Error).message}`, EXIT.usage, 'unreadable_file', 'local_error', '--attach');
        }
        body = { kind: 'attachment', text: o.text ?? 'attached', fileName: o.attach!.split('/').pop()!, sha256: createHash('sha256').update(bytes).digest('hex') };
      }
      const note = await (await client()).request<Note>('POST', `/v1/compliance/cases/${encodeURIComponent(id)}/notes`, body);
      cli.print(note, () => `${note.kind} on case ${id}: ${note.text}${note.sha256 === null ? '' : ` (${note.fileName ?? ''}, sha256 ${note.sha256})`}`);
    });

  cases.command('decide <id>')
    .description('decide a case, once: --confirm (optionally freezing an account on the ledger) or --false-positive')
    .option('--confirm', 'the activity is suspicious', false)
    .option('--false-positive', 'it is not', false)
    .requiredOption('--note <text>', 'why')
    .option('--freeze <account>', 'with --confirm: freeze this account (signed by the compliance module)')
    .option('--wait', 'wait until the freeze is on the ledger', false)
    .action(async (id: string, o: { confirm: boolean; falsePositive: boolean; note: string; freeze?: string; wait: boolean }) => {
      if (o.confirm === o.falsePositive) throw new CliError('give --confirm or --false-positive', EXIT.usage, 'missing_option', 'usage_error', '--confirm');
      const api = await client();
      let decided = await api.request<Case>('POST', `/v1/compliance/cases/${encodeURIComponent(id)}/decision`, { decision: o.confirm ? 'confirmed' : 'false_positive', note: o.note, ...(o.freeze !== undefined && { action: { freeze: o.freeze } }) });
      if (o.wait && decided.actionStatus === 'due') {
        decided = await waitFor(`the freeze of case ${id}`, async () => {
          const detail = await api.request<{ case: Case }>('GET', `/v1/compliance/cases/${encodeURIComponent(id)}`);
          return detail.case.actionStatus === 'due' ? undefined : detail.case;
        });
      }
      cli.print(decided, () => describeCase(decided));
      if (decided.actionStatus === 'failed') process.exitCode = EXIT.rejected;
    });

  cases.command('show <id>')
    .description('a case, its alerts with their evidence, and its notes')
    .action(async (id: string) => {
      const detail = await (await client()).request<{ case: Case; alerts: Alert[]; notes: Note[] }>('GET', `/v1/compliance/cases/${encodeURIComponent(id)}`);
      cli.print(detail, () => [
        describeCase(detail.case),
        ...detail.alerts.flatMap((a) => [`${a.rule} on ${a.subject}: ${a.detail}`, ...a.evidence.payments.map((p) => `  ${p.from} → ${p.to}  ${amountOf(p)}  ${p.transaction ?? ''}`)]),
        table(['note', 'by', 'text'], detail.notes.map((n) => [n.kind, n.author, `${n.text}${n.sha256 === null ? '' : ` (${n.fileName ?? ''} ${n.sha256.slice(0, 12)}…)`}`])),
      ].join('\n'));
    });

  compliance.command('cases')
    .description('cases, newest first')
    .addOption(new Option('--status <status>', 'only these').choices(['open', 'escalated', 'closed_false_positive', 'confirmed']))
    .action(async (o: { status?: string }) => {
      const { data } = await (await client()).request<{ data: Case[] }>('GET', `/v1/compliance/cases?limit=500${o.status === undefined ? '' : `&status=${o.status}`}`);
      cli.print(data, () => table(['case', 'status', 'subject', 'assignee', 'action'], data.map((c) => [c.id, c.status, c.subject, c.assignee ?? '', c.action === null ? '' : `freeze ${c.action.freeze}: ${c.actionStatus}`])));
    });

  const report = compliance.command('report').description('reports to the authority: a suspicious transaction report on a case, a day\'s threshold report');
  const fileAndWait = async (path: string, body: Record<string, string>, wait: boolean) => {
    const api = await client();
    let filed = await api.request<Report>('POST', path, body);
    if (wait) filed = await waitFor(`report ${filed.id} to be filed`, async () => {
      const detail = await api.request<{ report: Report }>('GET', `/v1/compliance/reports/${encodeURIComponent(filed.id)}`);
      return detail.report.status === 'due' ? undefined : detail.report;
    });
    cli.print(filed, () => describeReport(filed));
    if (filed.status === 'failed') process.exitCode = EXIT.rejected;
  };
  report.command('str <case>')
    .description('a suspicious transaction report (goAML XML) on a confirmed case, filed on the ledger by its hash')
    .requiredOption('--reason <text>', 'why the activity is suspicious')
    .requiredOption('--action <text>', 'what the bank did')
    .option('--wait', 'wait until it is filed', false)
    .action(async (caseId: string, o: { reason: string; action: string; wait: boolean }) => fileAndWait(`/v1/compliance/cases/${encodeURIComponent(caseId)}/report`, { reason: o.reason, action: o.action }, o.wait));
  report.command('threshold <day>')
    .description("a day's threshold report (YYYY-MM-DD, UTC): every payment at or above its currency's threshold, as CSV")
    .option('--wait', 'wait until it is filed', false)
    .action(async (day: string, o: { wait: boolean }) => fileAndWait('/v1/compliance/reports/threshold', { day }, o.wait));
  report.command('show <id>')
    .description('a report as filed; --document prints the document itself')
    .option('--document', 'print the document (XML or CSV) as filed', false)
    .action(async (id: string, o: { document: boolean }) => {
      const detail = await (await client()).request<{ report: Report; document: string | null }>('GET', `/v1/compliance/reports/${encodeURIComponent(id)}`);
      if (o.document && !cli.options.json) process.stdout.write(detail.document ?? '');
      else cli.print(detail, () => describeReport(detail.report));
    });
  const travelRule = compliance.command('travel-rule').description('the Travel Rule: thresholds per jurisdiction, and the data payments carry');
  travelRule.command('threshold <jurisdiction> <currency>')
    .description("switch the Travel Rule on (or change its threshold) for payments from a jurisdiction in a currency; FATF's default unless --amount")
    .option('--amount <amount>', 'the threshold, in the currency (default: USD/EUR 1,000, HKD 8,000, SGD 1,500, other currencies 1,000)')
    .action(async (jurisdiction: string, currency: string, o: { amount?: string }) => {
      const op = { type: 'set_travel_rule_threshold' as const, jurisdiction, currency, ...(o.amount !== undefined && { amount: o.amount }) };
      await cli.checkOperation(op, { jurisdiction: '<jurisdiction>', currency: '<currency>', amount: '--amount' });
      await cli.submit([op]);
    });
  travelRule.command('show <hash>')
    .description("a payment's Travel Rule data (for the two institutions, compliance and auditors)")
    .action(async (hash: string) => {
      const data = await (await client()).request<{ hash: string; originatorAccount: string; beneficiaryAccount: string; originator: string | null; beneficiary: string | null; payload: unknown }>('GET', `/v1/compliance/travel-rule/${encodeURIComponent(hash)}`);
      cli.print(data, () => `${data.hash}: ${data.originatorAccount} (${data.originator ?? '?'}) → ${data.beneficiaryAccount} (${data.beneficiary ?? '?'})\n${JSON.stringify(data.payload, null, 2)}`);
    });

  compliance.command('reports')
    .description('reports built and filed, newest first')
    .action(async () => {
      const { data } = await (await client()).request<{ data: Report[] }>('GET', '/v1/compliance/reports?limit=500');
      cli.print(data, () => table(['report', 'kind', 'covers', 'status', 'ledger transaction'], data.map((r) => [r.id, r.kind, r.covers, r.status, r.transaction ?? ''])));
    });
}
