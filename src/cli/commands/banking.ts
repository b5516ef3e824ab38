import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { IncomingMessage } from '../../modules/banking/iso20022/index.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { groupDigits, table } from '../format.js';

function describeMessage(message: IncomingMessage): string {
  const schema = message.schema === null ? 'not validated (no XSD for this version: give --xsd-dir)' : `valid against ${message.schema.schema}`;
  const head = `${message.messageType}.${message.version} ${message.messageId}, created ${message.createdAt}; ${schema}`;
  if ('reports' in message) {
    const lines = message.reports.flatMap((report) => [
      `${report.id}: account ${report.account.id}${report.account.currency === undefined ? '' : ` (${report.account.currency})`}${report.balances.length === 0 ? '' : `; ${report.balances.map((b) => `${b.type} ${b.creditDebit === 'debit' ? '-' : ''}${groupDigits(b.amount)} ${b.currency}`).join(', ')}`}`,
      table(['entry', 'servicer ref', 'booked', 'status', 'amount', 'ccy', 'end-to-end id', 'counterparty'], report.entries.map((entry) => {
        const tx = entry.transactions[0];
        const counterparty = entry.creditDebit === 'credit' ? tx?.debtor : tx?.creditor;
        return [
          entry.entryReference ?? '', entry.accountServicerReference ?? '', entry.bookingDate ?? '', `${entry.status}${entry.reversal ? ' reversal' : ''}`,
          `${entry.creditDebit === 'debit' ? '-' : '+'}${groupDigits(entry.amount)}`, entry.currency, tx?.endToEndId ?? '', [counterparty?.name, counterparty?.account].filter(Boolean).join(' / '),
        ];
      }), { right: new Set([4]) }),
    ]);
    return [head, ...lines].join('\n');
  }
  const original = `original ${message.original.messageType ?? 'message'} ${message.original.messageId ?? '?'}${message.original.groupStatus === undefined ? '' : `: ${message.original.groupStatus}`}`;
  const rows = message.transactions.map((tx) => [tx.originalEndToEndId ?? tx.originalInstructionId ?? tx.originalPaymentInformationId ?? '', tx.status ?? '', tx.reasons.map((r) => [r.code ?? r.proprietary, ...r.info].filter(Boolean).join(': ')).join('; ')]);
  return [head, original, table(['original end-to-end id', 'status', 'reason'], rows)].join('\n');
}

interface Credit { entry: string; bankAccount: string | null; amount: string; currency: string; status: string; reason: string | null; detail: string | null; tokenAccount: string | null; transactionId: string | null }
interface Payout { account: string; amount: string; payoutReference: string; status: string; bankStatus: string | null; problem: string | null }
interface Statement { statement: string; messageType: string; cutoffMs: number; closingBalance: string; supply: string | null; creditsInTransit: string | null; payoutsInTransit: string | null; unexplained: string | null; breaks: number | null; reconciled: boolean; attestation: string | null; attestationProblem: string | null }
interface Break { id: string; statement: string; kind: string; subject: string; amount: string | null; detail: string; ageMs: number; status: string; resolvedBy: string | null; resolutionNote: string | null }
interface DeskRequest { id: string; kind: string; status: string; outcome: unknown }

const age = (ms: number) => (ms < 3_600_000 ? `${Math.floor(ms / 60_000)} min` : ms < 172_800_000 ? `${Math.floor(ms / 3_600_000)} h` : `${Math.floor(ms / 86_400_000)} d`);

/** The reconciliation in one line: "reconciled: supply = omnibus balance", or what is off. */
function describeStatement(s: Statement): string {
  const figures = `closing balance ${groupDigits(s.closingBalance)} = supply ${groupDigits(s.supply ?? '?')} + credits in transit ${groupDigits(s.creditsInTransit ?? '?')} + payouts in transit ${groupDigits(s.payoutsInTransit ?? '?')}`;
  if (s.reconciled) return `${s.statement}: reconciled: supply = omnibus balance (${figures}); attested in ${s.attestation ?? '?'}`;
  return `${s.statement}: ${s.breaks ?? 0} break${s.breaks === 1 ? '' : 's'}${s.unexplained !== null && s.unexplained !== '0.00' && !/^0(\.0+)?$/.test(s.unexplained) ? `, ${groupDigits(s.unexplained)} unexplained` : ''}${s.attestationProblem === null ? '' : `; not attested: ${s.attestationProblem}`} (balance vs ${figures.replace('closing balance ', '').replace(/^[^=]*= /, '')})`;
}

/** Posts a desk request and waits for the module's participant to carry it out. */
async function request(cli: Cli, body: Record<string, unknown>): Promise<DeskRequest> {
  const client = await cli.client();
  let answer = await client.request<DeskRequest>('POST', '/v1/banking/requests', body);
  for (const deadline = Date.now() + 60_000; answer.status === 'pending'; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (Date.now() > deadline) throw new CliError(`request ${answer.id} is still pending after 60 s: is the banking module running?`, EXIT.rejected, 'request_pending', 'api_error');
    answer = await client.request<DeskRequest>('GET', `/v1/banking/requests/${answer.id}`);
  }
  if (answer.status === 'failed') throw new CliError(`refused: ${(answer.outcome as { problem?: string } | null)?.problem ?? 'no reason given'}`, EXIT.rejected, 'request_failed', 'invalid_request_error');
  return answer;
}

/** The banking module's commands: reading a bank's ISO 20022 messages (no node needed), and its desk on the node. */
export function bankingCommands(program: Command, cli: Cli): void {
  const banking = program.command('banking').description("the banking module: ISO 20022 messages, linked accounts, credits and suspense, payouts, statements and reconciliation breaks");

  banking.command('link <bank-account> <token-account>')
    .description("link a client's account at the bank to its token account: its deposits mint there; with the holder, its redemptions are paid back there")
    .option('--holder <name>', "the account holder's name, as the bank knows it")
    .option('--town <town>', "the holder's town (structured address)")
    .option('--country <code>', "the holder's country (ISO 3166 alpha-2)")
    .option('--bic <bic>', "the BIC of the holder's bank")
    .action(async (bankAccount: string, tokenAccount: string, o: { holder?: string; town?: string; country?: string; bic?: string }) => {
      const holder = o.holder === undefined ? undefined : { name: o.holder, town: o.town ?? '', country: o.country ?? '', agentBic: o.bic ?? '' };
      const link = await (await cli.client()).request<{ bankAccount: string; tokenAccount: string }>('POST', '/v1/banking/links', { bankAccount, tokenAccount, ...(holder !== undefined && { holder }) });
      cli.print(link, () => `linked ${link.bankAccount} → ${link.tokenAccount}${holder === undefined ? ' (deposits only: no holder to pay redemptions to)' : ''}`);
    });

  banking.command('credits')
    .description('credits on the omnibus account: minting, held for approval, minted, in suspense with the reason, or returned')
    .option('--status <status>', 'minting, held, minted, suspense or returned')
    .option('--starting-after <entry>', 'the last entry of the previous page (500 a page, oldest first)')
    .action(async (o: { status?: string; startingAfter?: string }) => {
      const query = new URLSearchParams({ limit: '500', ...(o.status !== undefined && { status: o.status }), ...(o.startingAfter !== undefined && { starting_after: o.startingAfter }) });
      const { data } = await (await cli.client()).request<{ data: Credit[] }>('GET', `/v1/banking/credits?${query}`);
      cli.print(data, () => table(['entry', 'from', 'amount', 'status', 'token account / reason'], data.map((c) => [c.entry, c.bankAccount ?? '', `${groupDigits(c.amount)} ${c.currency}`, c.status, c.status === 'minted' ? c.tokenAccount ?? '' : c.reason ?? c.detail ?? '']), { right: new Set([2]), maxWidths: { 0: 60 } }));
    });

  banking.command('retry <entry>')
    .description('mint a credit in suspense, once its cause is fixed (the account linked, the allowance raised)')
    .action(async (entry: string) => {
      const done = await request(cli, { kind: 'retry_credit', entry });
      const outcome = done.outcome as { outcome: string; reason?: string; transactionId?: string; detail?: string; proposal?: string };
      cli.print(done, () => (outcome.outcome === 'suspense' ? `still in suspense: ${outcome.reason ?? ''}${outcome.detail === undefined ? '' : ` (${outcome.detail})`}`
        : outcome.outcome === 'held' ? `held for approval in proposal ${outcome.proposal ?? ''}` : `minted${outcome.transactionId === undefined ? '' : ` in ${outcome.transactionId}`}`));
    });

  banking.command('return <entry>')
    .description('send a credit in suspense back to its sender with a pacs.004')
    .requiredOption('--reason <code>', 'an ISO 20022 return reason: AC01 wrong account, AC04 closed, AG01 forbidden, AM09 wrong amount, CURR, FOCR, …')
    .option('--note <text>', 'additional information for the sender (up to 105 characters)')
    .action(async (entry: string, o: { reason: string; note?: string }) => {
      const done = await request(cli, { kind: 'return_credit', entry, reason: o.reason, ...(o.note !== undefined && { note: o.note }) });
      cli.print(done, () => `returned with pacs.004 ${(done.outcome as { returnId: string }).returnId}`);
    });

  banking.command('payouts')
    .description("redemptions the bank owes back into its clients' books, and what became of each")
    .action(async () => {
      const { data } = await (await cli.client()).request<{ data: Payout[] }>('GET', '/v1/banking/payouts?limit=500');
      cli.print(data, () => table(['account', 'amount', 'reference', 'status', 'bank', 'problem'], data.map((p) => [p.account, groupDigits(p.amount), p.payoutReference, p.status, p.bankStatus ?? '', p.problem ?? '']), { right: new Set([1]), maxWidths: { 5: 60 } }));
    });

  banking.command('statements')
    .description('statements of the omnibus account, latest first, each reconciled against the supply')
    .action(async () => {
      const { data } = await (await cli.client()).request<{ data: Statement[] }>('GET', '/v1/banking/statements?limit=100');
      cli.print(data, () => data.map(describeStatement).join('\n') || 'no statement received yet');
    });

  banking.command('reconcile [statement]')
    .description('reconcile a statement again now (default: the latest) and attest the figures on the chain')
    .action(async (statement: string | undefined) => {
      const done = await request(cli, { kind: 'reconcile', ...(statement !== undefined && { statement }) });
      const outcome = done.outcome as { statement: string };
      const { data } = await (await cli.client()).request<{ data: Statement[] }>('GET', '/v1/banking/statements?limit=500');
      const row = data.find((s) => s.statement === outcome.statement);
      cli.print(row ?? outcome, () => (row === undefined ? JSON.stringify(outcome) : describeStatement(row)));
    });

  banking.command('report <statement>')
    .description("a statement's reconciliation report: every booked entry matched or not, and its breaks (--csv for a spreadsheet)")
    .option('--csv', 'print CSV', false)
    .action(async (statement: string, o: { csv: boolean }) => {
      const client = await cli.client();
      if (o.csv) {
        process.stdout.write(await client.request<string>('GET', `/v1/banking/report?statement=${encodeURIComponent(statement)}&format=csv`));
        return;
      }
      const report = await client.request<{ statement: Statement; entries: { n: number; entry: string | null; side: string; amount: string; endToEndId: string | null; matched: boolean }[]; breaks: Break[] }>('GET', `/v1/banking/report?statement=${encodeURIComponent(statement)}`);
      cli.print(report, () => [
        describeStatement(report.statement),
        table(['#', 'entry', 'side', 'amount', 'end-to-end id', 'matched'], report.entries.map((e) => [String(e.n), e.entry ?? '', e.side, groupDigits(e.amount), e.endToEndId ?? '', e.matched ? 'yes' : 'no']), { right: new Set([3]) }),
        ...(report.breaks.length === 0 ? [] : [table(['break', 'kind', 'amount', 'status', 'detail'], report.breaks.map((b) => [b.subject, b.kind, b.amount ?? '', b.status, b.detail]), { maxWidths: { 4: 80 } })]),
      ].join('\n'));
    });

  banking.command('breaks')
    .description('reconciliation breaks, oldest first, with their kind and age')
    .option('--all', 'resolved ones too', false)
    .action(async (o: { all: boolean }) => {
      const { data } = await (await cli.client()).request<{ data: Break[] }>('GET', `/v1/banking/breaks?limit=500${o.all ? '' : '&status=open'}`);
      cli.print(data, () => (data.length === 0 ? 'no open break' : table(['break', 'kind', 'amount', 'age', 'status', 'detail'], data.map((b) => [b.id, b.kind, b.amount ?? '', age(b.ageMs), b.status, b.status === 'resolved' ? `${b.resolvedBy ?? ''}: ${b.resolutionNote ?? ''}` : b.detail]), { maxWidths: { 0: 50, 5: 70 } })));
    });

  banking.command('resolve <break>')
    .description('resolve a break with a note (it stays listed, with who and why)')
    .requiredOption('--note <text>', 'why it is resolved')
    .action(async (id: string, o: { note: string }) => {
      const resolved = await (await cli.client()).request<Break>('POST', '/v1/banking/breaks/resolve', { id, note: o.note });
      cli.print(resolved, () => `resolved ${resolved.id}: ${resolved.resolutionNote ?? ''}`);
    });

  banking.command('parse <file>')
    .description('read a camt.052/053/054, pacs.002 or pain.002 message (versions .02 to .08, pacs.002 to .11) and print it normalized; refused with why if it is in an unknown version or fails its XSD')
    .option('--xsd-dir <dir>', 'a directory of official ISO 20022 XSDs (<message>.xsd) to validate against', process.env['DEPOSITUM_ISO20022_XSD'])
    .addHelpText('after', '\nExample:\n  $ depositum --json banking parse statement.xml --xsd-dir ../shared/data/iso20022/xsd')
    .action(async (file: string, o: { xsdDir?: string }) => {
      const { readIncoming, MessageError, SchemaDirectory } = await import('../../modules/banking/iso20022/index.js');
      // Read as the module reads what the bank sends: the bytes, as UTF-8.
      let xml: Buffer;
      try {
        xml = readFileSync(file);
      } catch (error) {
        throw new CliError(`cannot read ${file}: ${(error as Error).message}`, EXIT.usage, 'file_unreadable', 'usage_error', '<file>');
      }
      try {
        const message = await readIncoming(xml, o.xsdDir === undefined ? undefined : new SchemaDirectory(o.xsdDir));
        cli.print(message, () => describeMessage(message));
      } catch (error) {
        if (error instanceof MessageError) throw new CliError(`${file}: ${error.message}`, EXIT.invalid, 'message_refused', 'invalid_message', '<file>');
        throw error;
      }
    });
}
