import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { FORCE_TRANSFER_REASONS, type ForceTransferReason } from '../../core/vocabulary.js';
import type { Submission } from '../../sdk/index.js';
import { amountArg, durationArg } from '../arguments.js';
import { CliError, EXIT, type Cli } from '../context.js';

/** Minting, paying, holds and redemption: the commands that move money. */
export function moneyCommands(program: Command, cli: Cli): void {
  program.command('mint')
    .description('issue tokens against a bank deposit (as an issuer with a minter allowance)')
    .requiredOption('--to <account>', 'account credited')
    .requiredOption('--amount <amount>', 'amount in the asset unit, e.g. 1000000.00', amountArg)
    .requiredOption('--deposit-ref <ref>', 'the bank deposit (e.g. camt.054 entry reference) backing the tokens')
    .addHelpText('after', '\nExample:\n  $ depositum --as first-meridian mint --to acme-usd --amount 1000000.00 --deposit-ref DEP-0001')
    .action(async (o: { to: string; amount: string; depositRef: string }) => {
      const op = { type: 'issue' as const, account: o.to, amount: o.amount, depositReference: o.depositRef };
      await cli.checkOperation(op, { account: '--to', amount: '--amount', depositReference: '--deposit-ref' });
      await cli.submit([op]);
    });

  program.command('pay')
    .description('transfer between accounts of the same asset, or at par to another bank\'s token of the same currency')
    .requiredOption('--from <account>', 'account debited').requiredOption('--to <account>', 'account credited')
    .requiredOption('--amount <amount>', 'amount in the asset unit, e.g. 250000.00', amountArg)
    .option('--reference <ref>', 'ISO 20022 end-to-end id (at most 35 characters) or UETR')
    .option('--memo <text>', 'free text for both parties (at most 500 characters)')
    .option('--at-par', "pay an account holding another bank's token of the same currency, through the two banks' settlement accounts")
    .option('--travel-rule <file>', "the originator's and beneficiary's data (IVMS101.2023 JSON): sent to the compliance module, its hash carried by the payment (required across jurisdictions at or above the threshold)")
    .addHelpText('after', '\nExamples:\n  $ depositum --as acme pay --from acme-usd --to globex-usd --amount 250000.00 --reference INV-2026-0042\n  $ depositum --as acme --tx-id inv-2026-0042 pay ...   # safe to resend: the same id commits once\n  $ depositum --as acme pay --from acme-usd --to globex-usd-scb --amount 250000.00 --at-par')
    .action(async (o: { from: string; to: string; amount: string; reference?: string; memo?: string; atPar?: boolean; travelRule?: string }) => {
      if (o.travelRule !== undefined && o.atPar === true) throw new CliError('--travel-rule goes with a transfer, not --at-par (not yet)', EXIT.usage, 'invalid_option', 'usage_error', '--travel-rule');
      const travelRule = o.travelRule === undefined ? undefined : await sendTravelRule(cli, o.travelRule);
      const op = o.atPar === true
        ? { type: 'transfer_at_par' as const, from: o.from, to: o.to, amount: o.amount }
        : { type: 'transfer' as const, from: o.from, to: o.to, amount: o.amount, ...(travelRule !== undefined && { travelRule }) };
      await cli.checkOperation(op, { from: '--from', to: '--to', amount: '--amount' });
      await cli.checkTransactionFields({ reference: o.reference, memo: o.memo });
      await cli.submit([op], { ...(o.reference !== undefined && { reference: o.reference }), ...(o.memo !== undefined && { memo: o.memo }) });
    });

  program.command('hold')
    .description('reserve funds toward a payee until posted, voided or expired')
    .requiredOption('--from <account>', 'payer account').requiredOption('--to <account>', 'payee account')
    .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
    .requiredOption('--expires <duration>', 'how long it holds at most, e.g. 30m, 1h, 2d', durationArg)
    .option('--id <hold>', 'hold id (default: generated)')
    .addHelpText('after', '\nExample:\n  $ depositum --as acme hold --from acme-usd --to globex-usd --amount 10000.00 --expires 1h --id delivery-7')
    .action(async (o: { from: string; to: string; amount: string; expires: number; id?: string }) => {
      const hold = o.id ?? `hold-${Date.now().toString(36)}`;
      // Expiry is judged against block time: start from the ledger's clock if it is ahead of ours.
      const { timeMs } = await (await cli.client()).network();
      const op = { type: 'hold' as const, hold, from: o.from, to: o.to, amount: o.amount, expiresAtMs: Math.max(Date.now(), timeMs) + o.expires };
      await cli.checkOperation(op, { hold: '--id', from: '--from', to: '--to', amount: '--amount' });
      const outcome = await cli.submit([op]);
      if (!cli.options.json && outcome !== null && committed(outcome)) console.log(`hold id: ${hold}`);
    });

  program.command('post <hold>')
    .description('pay out a hold, in full or in part; the rest returns to the payer')
    .option('--amount <amount>', 'part to post (default: all)', amountArg)
    .action(async (hold: string, o: { amount?: string }) => {
      await cli.submit([{ type: 'post', hold, ...(o.amount !== undefined && { amount: o.amount }) }]);
    });

  program.command('void <hold>')
    .description('cancel a hold: its funds return to the payer')
    .action(async (hold: string) => {
      await cli.submit([{ type: 'void', hold }]);
    });

  program.command('redeem')
    .description("burn tokens back into the issuer's books (needs the holder's and the issuer's signatures)")
    .requiredOption('--from <account>', 'account debited')
    .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
    .requiredOption('--payout-ref <ref>', 'the bank account or payment (pacs.008) the issuer pays out to')
    .option('--cosign <participant...>', 'also sign as these participants (keys from the data directory), e.g. the issuer')
    .addHelpText('after', '\nExample:\n  $ depositum --as acme redeem --from acme-usd --amount 100000.00 --payout-ref ACME-DDA-0001 --cosign first-meridian')
    .action(async (o: { from: string; amount: string; payoutRef: string; cosign?: string[] }) => {
      const op = { type: 'redeem' as const, account: o.from, amount: o.amount, payoutReference: o.payoutRef };
      await cli.checkOperation(op, { account: '--from', amount: '--amount', payoutReference: '--payout-ref' });
      const cosign = o.cosign ?? [];
      await cli.submit([op], {
        cosign,
        // A redemption without the issuer's signature is recorded as not_authorized: say whose signature it lacks.
        hint: async (submission) => {
          if (!needsIssuer(submission)) return null;
          const client = await cli.client();
          const account = await client.account(o.from).catch(() => null);
          const issuer = account === null ? null : (await client.asset(account.asset).catch(() => null))?.issuer;
          return issuer === undefined || issuer === null || cosign.includes(issuer) ? null : `the issuer signs every redemption: add --cosign ${issuer}`;
        },
      });
    });

  program.command('force-transfer')
    .description("move money without its owner's consent, on legal grounds (compliance; the asset's issuer co-signs)")
    .requiredOption('--from <account>', 'account debited (it may be frozen)').requiredOption('--to <account>', 'account credited')
    .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
    .addOption(new Option('--reason <reason>', 'the grounds').choices(FORCE_TRANSFER_REASONS).makeOptionMandatory())
    .requiredOption('--legal-ref <text>', 'the order, case or ruling, e.g. "SDNY 1:26-cv-01234, order of 2026-11-20"')
    .option('--cosign <participant...>', 'also sign as these participants: the issuer of the asset')
    .addHelpText('after', '\nExample:\n  $ depositum --as operator force-transfer --from acme-usd --to globex-usd --amount 400.00 --reason court_order --legal-ref "SDNY 1:26-cv-01234" --cosign first-meridian')
    .action(async (o: { from: string; to: string; amount: string; reason: ForceTransferReason; legalRef: string; cosign?: string[] }) => {
      const op = { type: 'force_transfer' as const, from: o.from, to: o.to, amount: o.amount, reason: o.reason, legalReference: o.legalRef };
      await cli.checkOperation(op, { from: '--from', to: '--to', amount: '--amount', legalReference: '--legal-ref' });
      await cli.submit([op], { cosign: o.cosign ?? [] });
    });

  program.command('set-minter')
    .description("set a minter's remaining allowance (as the asset's issuer)")
    .requiredOption('--asset <asset>', 'asset').requiredOption('--minter <participant>', 'who may mint')
    .requiredOption('--allowance <amount>', 'amount in the asset unit', amountArg)
    .action(async (o: { asset: string; minter: string; allowance: string }) => {
      await cli.submit([{ type: 'configure_minter', asset: o.asset, minter: o.minter, allowance: o.allowance }]);
    });
}

const committed = (outcome: Submission): boolean => outcome.status === 'sealed' && outcome.receipt.result.status === 'committed';

const needsIssuer = (outcome: Submission): boolean =>
  outcome.status === 'sealed' && outcome.receipt.result.status === 'rejected' && outcome.receipt.result.code === 'not_authorized';

/** Sends a payment's Travel Rule data to the compliance module; the hash the payment carries. */
async function sendTravelRule(cli: Cli, file: string): Promise<string> {
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`--travel-rule ${file}: ${(error as Error).message}`, EXIT.usage, 'invalid_file', 'usage_error', '--travel-rule');
  }
  const { hash } = await (await cli.client()).request<{ hash: string }>('POST', '/v1/compliance/travel-rule', { payload });
  return hash;
}

