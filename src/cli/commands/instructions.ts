import { Option, type Command } from 'commander';
import type { InstructionInfo } from '../../sdk/index.js';
import { amountArg, integerArg } from '../arguments.js';
import { describeConflicts, type Cli } from '../context.js';
import { groupDigits, isoTime, table } from '../format.js';

type SetOptions = {
  from: string; to: string; amount?: string; keep?: string; floor?: string; cap?: string; reference?: string; share?: number;
  rrule?: string; cron?: string; timeZone?: string; onPayment?: boolean; maxFailures?: number; days?: number;
};

/** What an instruction does, in words. */
function what(i: InstructionInfo): string {
  const money = (amount: string | undefined) => groupDigits(amount ?? '?');
  switch (i.kind) {
    case 'pay': return `pay ${money(i.amount)} to ${i.to}`;
    case 'sweep': return `sweep above ${money(i.keep)} to ${i.to}`;
    case 'top_up': return `top ${i.to} up to ${money(i.floor)} (at most ${money(i.cap)} a time)`;
    default: return `pay ${(i.share ?? 0) / 100}% of "${i.reference ?? ''}" payments on to ${i.to}`;
  }
}

function when(i: InstructionInfo): string {
  const schedule = i.schedule === undefined ? [] : [`${i.schedule.rrule ?? i.schedule.cron ?? ''} (${i.schedule.timeZone})`];
  return [...schedule, ...(i.onPayment ? ['on payment'] : [])].join(' and ');
}

function describeInstruction(i: InstructionInfo): string {
  return [
    `${i.id}: ${i.status}, ${what(i)} from ${i.from}, ${when(i)}`,
    `runs: ${i.runs}; failures in a row: ${i.failures} of ${i.maxFailures}${i.armed ? '; armed: runs at the next block' : ''}`,
    ...(i.upcoming.length > 0 ? [`next: ${i.upcoming.map(isoTime).join(', ')}`] : []),
  ].join('\n');
}

/** Standing instructions: scheduled payments, sweeps, top-ups and splits; their simulation and conflicts. */
export function instructionCommands(program: Command, cli: Cli): void {
  const instruction = program.command('instruction').description('standing instructions: scheduled payments, sweeps, top-ups and splits that run at block time');
  instruction.command('set <id> <kind>')
    .description('set up a standing instruction of kind pay, sweep, top-up or split (with --simulate and --days: play it first, changing nothing)')
    .requiredOption('--from <account>', 'your account it pays from (a top-up: the funding account)')
    .requiredOption('--to <account>', 'the account it pays to (a top-up: your account it keeps funded)')
    .option('--amount <amount>', 'pay: the amount of each payment', amountArg)
    .option('--keep <amount>', 'sweep: the balance to leave on --from', amountArg)
    .option('--floor <amount>', 'top-up: keep --to at least at this', amountArg)
    .option('--cap <amount>', 'top-up: at most this a time', amountArg)
    .option('--reference <ref>', 'split: the reference of the payments to split')
    .option('--share <bps>', 'split: basis points of each to pay on (10000 = all)', integerArg(1, 10_000))
    .option('--rrule <rule>', 'an RFC 5545 RRULE, e.g. "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0"')
    .option('--cron <pattern>', 'or a five-field cron pattern, e.g. "0 17 * * 1-5"')
    .option('--time-zone <zone>', 'the IANA zone the schedule is read in (default UTC)')
    .option('--on-payment', 'sweep or top-up: also run whenever a payment lands on (or leaves) the account')
    .option('--max-failures <n>', 'failed runs in a row before it is suspended (default 3)', integerArg(1, 10))
    .addOption(new Option('--days <n>', 'with --simulate: play your instructions over this many days').argParser(integerArg(1, 366)))
    .addHelpText('after', '\nExamples:\n  $ depositum --as acme instruction set month-end sweep --from acme-usd --to acme-reserve --keep 250000.00 \\\n      --rrule "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0" --time-zone America/New_York\n  $ depositum --as acme instruction set rent pay --from acme-usd --to globex-usd --amount 12000.00 --cron "0 9 1 * *"')
    .action(async (id: string, kind: string, o: SetOptions) => {
      const schedule = o.rrule === undefined && o.cron === undefined ? undefined
        : { ...(o.rrule !== undefined && { rrule: o.rrule }), ...(o.cron !== undefined && { cron: o.cron }), ...(o.timeZone !== undefined && { timeZone: o.timeZone }) };
      const op = {
        type: 'set_standing_instruction' as const, instruction: id, kind: kind.replace('-', '_') as never, from: o.from, to: o.to,
        ...(o.amount !== undefined && { amount: o.amount }), ...(o.keep !== undefined && { keep: o.keep }), ...(o.floor !== undefined && { floor: o.floor }), ...(o.cap !== undefined && { cap: o.cap }),
        ...(o.reference !== undefined && { reference: o.reference }), ...(o.share !== undefined && { share: o.share }),
        ...(schedule !== undefined && { schedule }), ...(o.onPayment === true && { onPayment: true }), ...(o.maxFailures !== undefined && { maxFailures: o.maxFailures }),
      };
      await cli.checkOperation(op, { instruction: '<id>', kind: '<kind> (pay, sweep, top-up or split)', from: '--from', to: '--to', amount: '--amount', keep: '--keep', floor: '--floor', cap: '--cap', reference: '--reference', share: '--share', schedule: '--rrule/--cron/--time-zone', maxFailures: '--max-failures' });
      if (cli.simulating()) {
        await cli.submit([op], o.days === undefined ? {} : { days: o.days });
        return;
      }
      // Conflict detection before it is set: a warning, since only the owner knows whether the loop is meant.
      const { conflicts } = await (await cli.client()).simulate([op]);
      for (const line of describeConflicts(conflicts)) console.error(`warning: ${line}`);
      await cli.submit([op]);
    });

  instruction.command('list').description('your standing instructions, with their next run')
    .option('--owner <participant>', 'an overseer: whose instructions')
    .action(async (o: { owner?: string }) => {
      const page = await (await cli.client()).instructions(o.owner === undefined ? {} : { owner: o.owner });
      cli.print(page, () => (page.data.length === 0 ? 'no standing instructions' : table(['instruction', 'status', 'what', 'from', 'when', 'next run', 'runs'], page.data.map((i) => [i.id, i.status, what(i), i.from, when(i), i.nextRunAtMs === null ? '' : isoTime(i.nextRunAtMs), String(i.runs)]))));
    });
  instruction.command('show <id>').description('a standing instruction: what it does, its next dates, how its runs went')
    .action(async (id: string) => {
      const shown = await (await cli.client()).instruction(id);
      cli.print(shown, () => describeInstruction(shown));
    });
  instruction.command('cancel <id>').description('cancel a standing instruction: it will not run again')
    .action(async (id: string) => {
      await cli.submit([{ type: 'cancel_standing_instruction', instruction: id }]);
    });
  instruction.command('conflicts').description('cycles of sweeps and top-ups, instructions that cannot run, two taking from one balance at once')
    .option('--days <n>', 'how far ahead to look (default 31)', integerArg(1, 366))
    .option('--owner <participant>', 'an overseer: whose instructions')
    .action(async (o: { days?: number; owner?: string }) => {
      const found = await (await cli.client()).instructionConflicts({ ...(o.days !== undefined && { days: o.days }), ...(o.owner !== undefined && { owner: o.owner }) });
      cli.print(found, () => (found.conflicts.length === 0 ? `no conflicts among the standing instructions of ${found.owner} until ${isoTime(found.untilMs)}` : describeConflicts(found.conflicts).join('\n')));
    });
}
