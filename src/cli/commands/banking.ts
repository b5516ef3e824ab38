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

/** The banking module's tools that need no node: reading a bank's ISO 20022 messages. */
export function bankingCommands(program: Command, cli: Cli): void {
  const banking = program.command('banking').description("the banking module's ISO 20022 messages");

  banking.command('parse <file>')
    .description('read a camt.052/053/054, pacs.002 or pain.002 message (versions .02 to .08, pacs.002 to .11) and print it normalized; refused with why if it is in an unknown version or fails its XSD')
    .option('--xsd-dir <dir>', 'a directory of official ISO 20022 XSDs (<message>.xsd) to validate against', process.env['DEPOSITUM_ISO20022_XSD'])
    .addHelpText('after', '\nExample:\n  $ depositum --json banking parse statement.xml --xsd-dir ../shared/data/iso20022/xsd')
    .action(async (file: string, o: { xsdDir?: string }) => {
      const { readIncoming, MessageError, SchemaDirectory } = await import('../../modules/banking/iso20022/index.js');
      let xml: string;
      try {
        xml = readFileSync(file, 'utf8');
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
