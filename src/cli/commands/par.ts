import { InvalidArgumentError, type Command } from 'commander';
import type { NetSettlement } from '../../sdk/index.js';
import { amountArg } from '../arguments.js';
import type { Cli } from '../context.js';
import { groupDigits, isoTime, table } from '../format.js';

function dayArg(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('a day is YYYY-MM-DD, e.g. 2026-11-22');
  return value;
}

function describeNet(report: NetSettlement): string {
  const head = `net settlement of ${report.day} (UTC, block time): ${report.final ? 'final' : 'open, payments may still land in it'}`;
  if (report.positions.length === 0) return `${head}\nno payments at par`;
  const rows = report.positions.map((p) => [p.currency, p.bankA, p.bankB, groupDigits(p.aOwesB), groupDigits(p.bOwesA), String(p.payments), p.payer ?? 'nobody', groupDigits(p.net)]);
  return [head, table(['currency', 'bank A', 'bank B', 'A owes B', 'B owes A', 'payments', 'net payer', 'net'], rows, { right: new Set([3, 4, 5, 7]) })].join('\n');
}

/** Par settlement: the issuers of one currency settle their clients' payments to each other, netted daily outside the ledger. */
export function parCommands(program: Command, cli: Cli): void {
  const par = program.command('par').description("payments at par between the issuers of one currency: who takes part, and the day's net settlement report");

  par.command('join <asset>')
    .description('settle your token at par with the other issuers of its currency (as its issuer); joining again changes the account or the cap')
    .requiredOption('--account <account>', 'your own account of the token that receives and pays it')
    .option('--cap <amount>', 'the most you accept to be owed, net, by any one other bank over a day', amountArg)
    .addHelpText('after', '\nExample:\n  $ depositum --as straits-bank par join usd-scb --account straits-bank-usd-scb --cap 5000000.00')
    .action(async (asset: string, o: { account: string; cap?: string }) => {
      const op = { type: 'join_par_settlement' as const, asset, settlementAccount: o.account, ...(o.cap !== undefined && { cap: o.cap }) };
      await cli.checkOperation(op, { asset: '<asset>', settlementAccount: '--account', cap: '--cap' });
      await cli.submit([op]);
    });

  par.command('members').description('the tokens settled at par: issuer, settlement account, cap')
    .action(async () => {
      const members = (await (await cli.client()).parMembers()).data;
      const rows = members.map((m) => [m.asset, m.currency, m.issuer, m.settlementAccount, m.cap === null ? 'none' : groupDigits(m.cap), isoTime(m.joinedAtMs)]);
      cli.print(members, () => table(['asset', 'currency', 'issuer', 'settlement account', 'cap', 'joined'], rows, { right: new Set([4]) }));
    });

  par.command('net').description("a day's net settlement report: what each pair of banks owes the other, to settle in central-bank money")
    .option('--day <YYYY-MM-DD>', 'the UTC day (default: the day of the last block)', dayArg)
    .action(async (o: { day?: string }) => {
      const report = await (await cli.client()).netSettlement(o.day === undefined ? {} : { day: o.day });
      cli.print(report, () => describeNet(report));
    });
}
