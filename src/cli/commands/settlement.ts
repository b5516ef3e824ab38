import { InvalidArgumentError, type Command } from 'commander';
import type { SettlementInfo } from '../../sdk/index.js';
import { amountArg, durationArg, integerArg } from '../arguments.js';
import type { Cli } from '../context.js';
import { groupDigits, isoTime, table } from '../format.js';

type LegSpec = { from: string; to: string; amount: string };

/** One leg as a single word: `from,to,amount` (e.g. acme-usd,globex-usd,1000000.00). */
function legArg(value: string, previous: LegSpec[] = []): LegSpec[] {
  const [from, to, amount, ...rest] = value.split(',');
  if (from === undefined || to === undefined || amount === undefined || rest.length > 0 || from === '' || to === '') throw new InvalidArgumentError('a leg is from,to,amount: e.g. acme-usd,globex-usd,1000000.00');
  return [...previous, { from, to, amount: amountArg(amount) }];
}

function describeSettlement(s: SettlementInfo): string {
  const head = `${s.id}: ${s.status}, proposed by ${s.proposer}, deadline ${isoTime(s.deadlineMs)}${s.settlers.length > 0 ? `, settled by ${s.settlers.join(' or ')}` : ''}`;
  const legs = table(['leg', 'from', 'to', 'amount', 'asset', 'allocated', 'approved'], s.legs.map((l) => [String(l.leg), l.from, l.to, groupDigits(l.amount), l.asset, l.allocated ? 'yes' : 'no', l.approved ? 'yes' : 'no']), { right: new Set([3]) });
  return [head, legs, ...(s.waitingFor.length > 0 ? [`waiting for: ${s.waitingFor.join('; ')}`] : [])].join('\n');
}

/** Settlements: legs that settle together or not at all (DvP, PvP, cross-issuer). */
export function settlementCommands(program: Command, cli: Cli): void {
  const group = program.command('settlement').description('legs that settle in one atomic step or not at all: DvP, PvP, cross-issuer');
  const leg = integerArg(0, 15);

  group.command('propose <settlement>')
    .description('propose legs to settle together (as a party to one of them)')
    .requiredOption('--leg <from,to,amount>', 'a leg (repeat, at least two)', legArg, [])
    .requiredOption('--deadline <duration>', 'unwound if not settled by then, e.g. 1h, 2d', durationArg)
    .option('--settler <participant...>', 'who may settle (default: any party to it)')
    .addHelpText('after', '\nExample (USD against SGD):\n  $ depositum --as acme settlement propose fx-1 --leg acme-usd,globex-usd,100000.00 --leg globex-sgd,acme-sgd,135000.00 --deadline 1h')
    .action(async (settlement: string, o: { leg: LegSpec[]; deadline: number; settler?: string[] }) => {
      const { timeMs } = await (await cli.client()).network();
      const op = { type: 'propose_settlement' as const, settlement, legs: o.leg, deadlineMs: Math.max(Date.now(), timeMs) + o.deadline, ...(o.settler !== undefined && { settlers: o.settler }) };
      await cli.checkOperation(op, { settlement: '<settlement>', legs: '--leg', deadlineMs: '--deadline', settlers: '--settler' });
      await cli.submit([op]);
    });

  group.command('allocate').argument('<settlement>').argument('<leg>', 'the leg, by its position (0, 1, …)', leg)
    .description("allocate a leg, as its sender: its amount is held until the settlement settles or unwinds")
    .action(async (settlement: string, index: number) => {
      await cli.submit([{ type: 'allocate_settlement', settlement, leg: index }]);
    });

  group.command('approve').argument('<settlement>').argument('<leg>', 'the leg, by its position (0, 1, …)', leg)
    .description('approve a leg, as its receiver')
    .action(async (settlement: string, index: number) => {
      await cli.submit([{ type: 'approve_settlement', settlement, leg: index }]);
    });

  group.command('settle <settlement>').description('move every leg at once (as a settler, or any party when it names none)')
    .action(async (settlement: string) => {
      await cli.submit([{ type: 'settle', settlement }]);
    });

  group.command('cancel <settlement>').description('withdraw before it settles: every allocation returns to its sender')
    .action(async (settlement: string) => {
      await cli.submit([{ type: 'cancel_settlement', settlement }]);
    });

  group.command('show <settlement>').description('a settlement: its legs and who still has to act')
    .action(async (settlement: string) => {
      const shown = await (await cli.client()).settlement(settlement);
      cli.print(shown, () => describeSettlement(shown));
    });
}
