import { InvalidArgumentError, type Command } from 'commander';
import type { AccountPolicyInfo, ProposalInfo } from '../../sdk/index.js';
import { amountArg, durationArg, integerArg } from '../arguments.js';
import type { Cli } from '../context.js';
import { groupDigits, isoTime, table } from '../format.js';

type Threshold = { asset: string; above: string };

/** An issue threshold as one word: `asset,amount` (e.g. usd-fmb,1000000.00). */
function thresholdArg(value: string, previous: Threshold[] = []): Threshold[] {
  const [asset, above, ...rest] = value.split(',');
  if (asset === undefined || above === undefined || asset === '' || rest.length > 0) throw new InvalidArgumentError('a threshold is asset,amount: e.g. usd-fmb,1000000.00');
  return [...previous, { asset, above: amountArg(above) }];
}

function describePolicy(p: AccountPolicyInfo): string {
  return [
    `${p.account}: payments above ${groupDigits(p.approvalAbove)} need ${p.approvalsRequired} of ${p.approvers.join(', ')} (they wait ${Math.round(p.approvalWindowMs / 60_000)} min)`,
    `per payment: ${p.perPaymentLimit === null ? 'no limit' : groupDigits(p.perPaymentLimit)}; per day: ${p.dailyLimit === null ? 'no limit' : `${groupDigits(p.dailyLimit)} (spent today ${groupDigits(p.spentToday)})`}`,
    `counterparties: ${p.counterparties === null ? 'any' : p.counterparties.join(', ')}`,
  ].join('\n');
}

function describeProposal(p: ProposalInfo): string {
  const head = `${p.id}: ${p.status}${p.rejectedBy === null ? '' : ` by ${p.rejectedBy}`}, proposed by ${p.proposer} at ${isoTime(p.createdAtMs)}, lapses ${isoTime(p.expiresAtMs)}`;
  const requirements = table(['rule', 'approvals', 'of approvers'], p.requirements.map((r) => [r.rule, `${r.approvals}/${r.required}`, r.approvers.join(', ')]));
  return [head, ...p.described.map((words, i) => `  ${i}. ${words}`), requirements, ...(p.waitingFor.length > 0 ? [`waiting for: ${p.waitingFor.join('; ')}`] : [])].join('\n');
}

/** Maker-checker on accounts, dual control over administrative acts, and the proposals they hold back. */
export function policyCommands(program: Command, cli: Cli): void {
  const policy = program.command('policy').description("an account's maker-checker policy: approvals above an amount, limits, allowed counterparties");
  const count = integerArg(1, 16);

  policy.command('set <account>')
    .description('set (or, with its approvers, change) the policy of an account you own')
    .requiredOption('--approver <participant...>', 'who may approve what it holds back')
    .option('--required <k>', 'approvals needed (k of the approvers)', count, 1)
    .requiredOption('--above <amount>', 'payments above this wait for approval (0: every payment)', amountArg)
    .option('--per-payment-limit <amount>', 'refuse any single payment above this', amountArg)
    .option('--daily-limit <amount>', 'refuse payments past this in a UTC day', amountArg)
    .option('--counterparty <participant...>', 'pay only these participants\' accounts (default: any)')
    .option('--window <duration>', 'how long a held-back payment waits, e.g. 4h (default 24h, at most 30d)', durationArg)
    .addHelpText('after', '\nExample:\n  $ depositum --as acme policy set acme-usd --approver acme-treasurer --above 500000.00 --daily-limit 2000000.00')
    .action(async (account: string, o: { approver: string[]; required: number; above: string; perPaymentLimit?: string; dailyLimit?: string; counterparty?: string[]; window?: number }) => {
      const op = {
        type: 'set_account_policy' as const, account, approvers: o.approver, approvalsRequired: o.required, approvalAbove: o.above,
        ...(o.perPaymentLimit !== undefined && { perPaymentLimit: o.perPaymentLimit }), ...(o.dailyLimit !== undefined && { dailyLimit: o.dailyLimit }),
        ...(o.counterparty !== undefined && { counterparties: o.counterparty }), ...(o.window !== undefined && { approvalWindowMs: o.window }),
      };
      await cli.checkOperation(op, { account: '<account>', approvers: '--approver', approvalsRequired: '--required', approvalAbove: '--above', perPaymentLimit: '--per-payment-limit', dailyLimit: '--daily-limit', counterparties: '--counterparty', approvalWindowMs: '--window' });
      await cli.submit([op]);
    });

  policy.command('show <account>').description("an account's policy in force and what it spent today")
    .action(async (account: string) => {
      const shown = await (await cli.client()).accountPolicy(account);
      cli.print(shown, () => describePolicy(shown));
    });

  policy.command('remove <account>').description("remove an account's policy (it needs that policy's approvals)")
    .action(async (account: string) => {
      await cli.submit([{ type: 'remove_account_policy', account }]);
    });

  const control = program.command('control').description('dual control: your administrative acts that need a second officer');
  control.command('set')
    .description('put your own acts under dual control (an empty --act list lifts it; a change needs the current approvers)')
    .requiredOption('--approver <participant...>', 'your other officers')
    .option('--required <k>', 'approvals needed (k of the approvers)', count, 1)
    .option('--act <act...>', 'issue, force_transfer, unfreeze_account, change_roles', [])
    .option('--issue-threshold <asset,amount>', 'an issue of this asset needs approval only above this (repeat)', thresholdArg)
    .option('--window <duration>', 'how long a held-back act waits (default 24h)', durationArg)
    .action(async (o: { approver: string[]; required: number; act: string[]; issueThreshold?: Threshold[]; window?: number }) => {
      const op = {
        type: 'set_control_policy' as const, approvers: o.approver, approvalsRequired: o.required, acts: o.act as never,
        ...(o.issueThreshold !== undefined && { issueThresholds: o.issueThreshold }), ...(o.window !== undefined && { approvalWindowMs: o.window }),
      };
      await cli.checkOperation(op, { approvers: '--approver', approvalsRequired: '--required', acts: '--act', issueThresholds: '--issue-threshold', approvalWindowMs: '--window' });
      await cli.submit([op]);
    });

  const proposal = program.command('proposal').description('what policies held back, waiting for approvals');
  proposal.command('list').description('proposals you made or may approve, newest first')
    .option('--status <status>', 'pending, executed, rejected or expired', 'pending')
    .action(async (o: { status: string }) => {
      const page = await (await cli.client()).proposals(o.status);
      cli.print(page, () => (page.data.length === 0 ? `no ${o.status} proposals` : table(['proposal', 'proposer', 'status', 'what', 'waiting for'], page.data.map((p) => [p.id, p.proposer, p.status, p.described.join('; '), p.waitingFor.join('; ')]))));
    });
  proposal.command('show <proposal>').description('a proposal: its operations, approvals and what it waits for')
    .action(async (id: string) => {
      const shown = await (await cli.client()).proposal(id);
      cli.print(shown, () => describeProposal(shown));
    });
  proposal.command('approve <proposal>').description('approve, as an approver it names; the last approval runs it')
    .action(async (id: string) => {
      await cli.submit([{ type: 'approve_proposal', proposal: id }]);
    });
  proposal.command('reject <proposal>').description('reject (an approver) or withdraw (its proposer): it will not run')
    .action(async (id: string) => {
      await cli.submit([{ type: 'reject_proposal', proposal: id }]);
    });
}
