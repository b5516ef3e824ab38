import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Operation } from '../../core/index.js';
import type { ConditionalPaymentInfo } from '../../sdk/index.js';
import { amountArg, durationArg } from '../arguments.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { groupDigits, isoTime, table } from '../format.js';

type CreateOp = Extract<Operation, { type: 'conditional_payment' }>;
type TrancheSpec = CreateOp['tranches'][number];

/**
 * One tranche as a single word (a shell needs no quotes): `id=amount`, then any of
 * `,approve:a+b`, `,k:1`, `,attest:attester/document_type+…`, `,after:2d`.
 * `signing=30.00` · `shipment=70.00,attest:oceanic-lines/bill_of_lading` · `final=10.00,approve:initech,after:7d`
 */
export function trancheArg(nowMs: () => number) {
  return (value: string, previous: TrancheSpec[] = []): TrancheSpec[] => {
    const [head = '', ...parts] = value.split(',');
    const match = /^([a-z0-9][a-z0-9._-]{0,63})=(.+)$/.exec(head);
    if (match === null) throw new InvalidArgumentError('a tranche is id=amount, then optional ,approve:a+b ,k:1 ,attest:attester/type ,after:2d (e.g. shipment=70.00,attest:oceanic-lines/bill_of_lading)');
    const spec: TrancheSpec = { tranche: match[1]!, amount: amountArg(match[2]!) };
    for (const part of parts) {
      const [key, setting = ''] = part.split(/:(.*)/s);
      if (key === 'approve') spec.approvers = setting.split('+');
      else if (key === 'k') spec.approvalsRequired = Number(setting);
      else if (key === 'attest') spec.attestations = setting.split('+').map((pair) => {
        const [attester = '', documentType = ''] = pair.split('/');
        if (attester === '' || documentType === '') throw new InvalidArgumentError(`attest:${setting}: each attestation is attester/document_type`);
        return { attester, documentType };
      });
      else if (key === 'after') spec.notBeforeMs = nowMs() + durationArg(setting);
      else throw new InvalidArgumentError(`${part}: a tranche knows approve:, k:, attest: and after:`);
    }
    return [...previous, spec];
  };
}

function documentHash(o: { document?: string; documentHash?: string }): string {
  if (o.documentHash !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(o.documentHash)) throw new CliError('--document-hash is a SHA-256 in lower-case hex (64 digits)', EXIT.usage, 'invalid_argument', 'usage_error', '--document-hash');
    return o.documentHash;
  }
  if (o.document === undefined) throw new CliError('name the document: --document <file> (its SHA-256 is computed here; the file never leaves this machine) or --document-hash <sha256>', EXIT.usage, 'invalid_argument', 'usage_error', '--document');
  return createHash('sha256').update(readFileSync(o.document)).digest('hex');
}

function describePayment(p: ConditionalPaymentInfo): string {
  const waiting = (t: ConditionalPaymentInfo['tranches'][number]) => {
    if (t.status !== 'pending') return '';
    const parts = [
      ...(t.waitingFor.approvals > 0 ? [`${t.waitingFor.approvals} approval(s) of ${t.approvers.filter((a) => !t.approvals.includes(a)).join('+')}`] : []),
      ...t.waitingFor.attestations.map((a) => `${a.documentType} from ${a.attester}`),
      ...(t.waitingFor.untilMs !== null ? [`until ${isoTime(t.waitingFor.untilMs)}`] : []),
    ];
    return parts.length === 0 ? (t.deferred ? 'releasable (deferred)' : 'releasable') : parts.join('; ');
  };
  const head = `${p.id}: ${groupDigits(p.amount)} ${p.asset} from ${p.payer} to ${p.payee}, ${p.status}${p.disputedBy === null ? '' : ` (disputed by ${p.disputedBy}, arbiter ${p.arbiter})`}\n`
    + `locked ${groupDigits(p.locked)}, released ${groupDigits(p.released)}${/^0(\.0+)?$/.test(p.awarded) ? '' : `, awarded by the arbiter ${groupDigits(p.awarded)}`}, deadline ${isoTime(p.deadlineMs)}${p.autoRelease ? ', released automatically' : ''}`;
  return `${head}\n${table(['tranche', 'amount', 'status', 'waiting for'], p.tranches.map((t) => [t.id, groupDigits(t.amount), t.status, waiting(t)]), { right: new Set([1]), maxWidths: { 3: 80 } })}`;
}

/** Conditional payments: escrow released tranche by tranche on approvals, attestations and time locks. */
export function conditionalCommands(program: Command, cli: Cli): void {
  const group = program.command('conditional').description('conditional payments: funds locked toward a payee, released tranche by tranche as approvals, attestations and time locks allow');

  group.command('create <payment>')
    .description('lock funds toward a payee in tranches (as the payer)')
    .requiredOption('--from <account>', 'payer account').requiredOption('--to <account>', 'payee account')
    .requiredOption('--amount <amount>', 'the whole amount: the tranches add up to it', amountArg)
    .requiredOption('--deadline <duration>', 'what is not released by then returns to the payer, e.g. 30d', durationArg)
    .requiredOption('--tranche <spec>', 'a tranche (repeat): id=amount[,approve:a+b][,k:1][,attest:attester/type][,after:2d]', trancheArg(Date.now), [])
    .option('--arbiter <participant>', 'who decides a dispute (without one, the payment cannot be disputed)')
    .option('--auto-release', 'pay each tranche the moment its last condition holds')
    .addHelpText('after', '\nExample:\n  $ depositum --as acme conditional create po-7 --from acme-usd --to globex-usd --amount 100000.00 --deadline 60d --arbiter operator --auto-release \\\n      --tranche signing=30000.00 --tranche shipment=60000.00,attest:oceanic-lines/bill_of_lading --tranche inspection=10000.00,attest:veritas-inspect/inspection_certificate')
    .action(async (payment: string, o: { from: string; to: string; amount: string; deadline: number; tranche: TrancheSpec[]; arbiter?: string; autoRelease?: boolean }) => {
      // The deadline is judged against block time: start from the ledger's clock if it is ahead of ours.
      const { timeMs } = await (await cli.client()).network();
      const op: CreateOp = {
        type: 'conditional_payment', payment, from: o.from, to: o.to, amount: o.amount, deadlineMs: Math.max(Date.now(), timeMs) + o.deadline, tranches: o.tranche,
        ...(o.arbiter !== undefined && { arbiter: o.arbiter }), ...(o.autoRelease === true && { autoRelease: true }),
      };
      await cli.checkOperation(op, { payment: '<payment>', from: '--from', to: '--to', amount: '--amount', deadlineMs: '--deadline', tranches: '--tranche', arbiter: '--arbiter' });
      await cli.submit([op]);
    });

  group.command('approve <payment> <tranche>').description('approve a tranche, as one of the approvers it names')
    .action(async (payment: string, tranche: string) => {
      await cli.submit([{ type: 'approve_conditional', payment, tranche }]);
    });

  group.command('attest <payment> <tranche>')
    .description('attest a document a tranche waits for, as the registered attester it names (only the SHA-256 goes on the ledger)')
    .requiredOption('--type <document-type>', 'e.g. bill_of_lading, inspection_certificate')
    .addOption(new Option('--document <file>', 'the document: its SHA-256 is computed here').conflicts('documentHash'))
    .option('--document-hash <sha256>', "the document's SHA-256, if computed elsewhere")
    .action(async (payment: string, tranche: string, o: { type: string; document?: string; documentHash?: string }) => {
      await cli.submit([{ type: 'attest', payment, tranche, documentType: o.type, documentHash: documentHash(o) }]);
    });

  group.command('release <payment> <tranche>').description('pay a tranche whose conditions all hold (as the payer or the payee)')
    .action(async (payment: string, tranche: string) => {
      await cli.submit([{ type: 'release_conditional', payment, tranche }]);
    });

  group.command('cancel <payment>').description("cancel: what is locked returns to the payer (needs the payee's signature)")
    .option('--cosign <participant...>', 'also sign as these participants, e.g. the payee when the payer cancels')
    .action(async (payment: string, o: { cosign?: string[] }) => {
      await cli.submit([{ type: 'cancel_conditional', payment }], { cosign: o.cosign ?? [] });
    });

  group.command('dispute <payment>').description('stop every release until the arbiter decides (as the payer or the payee)')
    .requiredOption('--reason <text>', 'why, for the arbiter (at most 500 characters)')
    .action(async (payment: string, o: { reason: string }) => {
      await cli.submit([{ type: 'dispute_conditional', payment, reason: o.reason }]);
    });

  group.command('decide <payment>').description('decide a dispute, as the arbiter: resume, or settle by paying the payee part of what is locked')
    .addOption(new Option('--resume', 'conditions and deadline apply again').conflicts('settle'))
    .option('--settle <to-payee>', 'pay the payee this much of what is locked, the rest back to the payer ("0" refunds all)', amountArg)
    .action(async (payment: string, o: { resume?: boolean; settle?: string }) => {
      if (o.resume !== true && o.settle === undefined) throw new CliError('decide with --resume or --settle <to-payee>', EXIT.usage);
      await cli.submit([o.settle === undefined ? { type: 'decide_dispute', payment, decision: 'resume' } : { type: 'decide_dispute', payment, decision: 'settle', toPayee: o.settle }]);
    });

  group.command('show <payment>').description('a conditional payment: each tranche, and what it still waits for')
    .action(async (payment: string) => {
      const shown = await (await cli.client()).conditionalPayment(payment);
      cli.print(shown, () => describePayment(shown));
    });
}
