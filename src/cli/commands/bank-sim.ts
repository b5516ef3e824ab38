import type { Command } from 'commander';
import { amountArg, integerArg } from '../arguments.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { groupDigits, table } from '../format.js';

type Sim = typeof import('../../modules/banking/sim/core.js');

/** The simulator's refusals are usage errors of this command (exit 2), said plainly. */
async function withSim<T>(run: (sim: Sim) => Promise<T> | T): Promise<T> {
  const sim = await import('../../modules/banking/sim/core.js');
  try {
    return await run(sim);
  } catch (error) {
    if (error instanceof sim.SimError) throw new CliError(error.message, EXIT.usage, 'bank_sim_refused', 'usage_error');
    throw error;
  }
}

/** The banking module's file drop and omnibus account on this node: its settings file, or the demo's. */
async function moduleLink(cli: Cli): Promise<{ inbox: string; omnibusAccount: string }> {
  const { bankingSettingsFor } = await import('../../modules/banking/settings.js');
  let settings;
  try {
    settings = bankingSettingsFor({ dataDir: cli.options.dataDir, demo: true });
  } catch (error) {
    throw new CliError(`the banking module's settings: ${(error as Error).message}`, EXIT.usage, 'invalid_settings', 'usage_error');
  }
  if (settings.inbox === undefined) throw new CliError("the banking module's link is a RabbitMQ queue; the simulated bank speaks the file drop: give --drop", EXIT.usage, 'missing_option', 'usage_error', '--drop');
  return { inbox: settings.inbox, omnibusAccount: settings.omnibusAccount };
}

const dropOption = ['--drop <dir>', "the banking module's file drop, where the bank writes into in/ and takes from out/ (default: its settings' inbox, or <data-dir>/bank-link on the demo)"] as const;

/**
 * `depositum bank-sim`: a simulated core-banking system for demos and tests, talking to
 * the banking module only through its file drop.
 */
export function bankSimCommands(program: Command, cli: Cli): void {
  const sim = program.command('bank-sim').description("a simulated core-banking system: client accounts, the issuer's omnibus account, camt.054 on deposits, payouts executed with a pacs.002 back, camt.053 at end of day");

  sim.command('open')
    .description("open the bank's books: the issuer's omnibus account, its balance the deposits behind the tokens already out (read from the node with --backing)")
    .option(...dropOption)
    .option('--omnibus <account>', "the issuer's omnibus account (default: the module's settings)")
    .option('--currency <code>', 'the currency of the accounts', 'USD')
    .option('--bic <bic>', "the bank's BIC (8 characters: its head office; or 11 with a branch)", 'FMBKUS33')
    .option('--decimals <n>', 'decimals of the currency', integerArg(0, 18), 2)
    .option('--balance <amount>', 'the omnibus balance', amountArg)
    .option('--backing <asset>', 'open the omnibus account with the supply of this token on the node')
    .action(async (o: { drop?: string; omnibus?: string; currency: string; bic: string; decimals: number; balance?: string; backing?: string }) => {
      const link = await moduleLink(cli);
      const drop = o.drop ?? link.inbox;
      const omnibus = o.omnibus ?? link.omnibusAccount;
      let balance = o.balance;
      let decimals = o.decimals;
      if (o.backing !== undefined) {
        const asset = await (await cli.client()).asset(o.backing);
        balance = asset.supply;
        decimals = asset.decimals;
      }
      if (balance === undefined) throw new CliError('give the omnibus balance: --balance, or --backing <asset> to take the supply from the node', EXIT.usage, 'missing_option', 'usage_error', '--balance');
      await withSim(({ BankCore }) => new BankCore(drop).open({ omnibus: { id: omnibus, currency: o.currency, bic: o.bic }, decimals, balance: balance, clients: {} }));
      cli.print({ drop, omnibus, balance }, () => `bank open at ${drop}: omnibus ${omnibus} ${groupDigits(balance)} ${o.currency}`);
    });

  sim.command('add-client <account> <name> <balance>')
    .description("open a client's demand-deposit account at the bank")
    .option(...dropOption)
    .option('--reject <reason>', 'the bank rejects payouts to this account with this ISO reason (AC04 closed, AC06 blocked, …)')
    .action(async (account: string, name: string, balance: string, o: { drop?: string; reject?: string }) => {
      const drop = o.drop ?? (await moduleLink(cli)).inbox;
      await withSim(({ BankCore }) => new BankCore(drop).addClient(account, name, amountArg(balance), o.reject));
      cli.print({ account, name, balance }, () => `client account ${account} (${name}): ${groupDigits(balance)}${o.reject === undefined ? '' : `; payouts to it are rejected with ${o.reject}`}`);
    });

  sim.command('accounts')
    .description("the bank's books: the omnibus balance and each client account")
    .option(...dropOption)
    .action(async (o: { drop?: string }) => {
      const drop = o.drop ?? (await moduleLink(cli)).inbox;
      const books = await withSim(({ BankCore }) => new BankCore(drop).read());
      const { formatAmount } = await import('../../core/index.js');
      const rows = [[books.omnibus.id, 'omnibus', formatAmount(BigInt(books.omnibusMinor), books.decimals)], ...Object.entries(books.clients).map(([id, c]) => [id, c.name, formatAmount(BigInt(c.balanceMinor), books.decimals)])];
      cli.print(books, () => table(['account', 'holder', `balance ${books.omnibus.currency}`], rows.map(([a, h, b]) => [a!, h!, groupDigits(b!)]), { right: new Set([2]) }));
    });

  const report = async (drop: string, sent: readonly { file: string; summary: string }[], wait: boolean) => {
    const where = wait ? await withSim(({ BankCore }) => new BankCore(drop).waitTaken(sent)) : [];
    cli.print({ sent, taken: where }, () => [...sent.map((s) => `sent ${s.summary}`), ...where].join('\n') || 'nothing to send');
  };

  sim.command('deposit')
    .description('a client pays into the omnibus account: booked, and notified to the module with a camt.054')
    .option(...dropOption)
    .requiredOption('--from <account>', "the client's account at the bank")
    .requiredOption('--amount <amount>', 'how much', amountArg)
    .option('--end-to-end-id <id>', "the payer's reference")
    .option('--duplicate', 'deliver the camt.054 twice (a redelivery)', false)
    .option('--wait', 'wait until the module has taken it', false)
    .action(async (o: { drop?: string; from: string; amount: string; endToEndId?: string; duplicate: boolean; wait: boolean }) => {
      const drop = o.drop ?? (await moduleLink(cli)).inbox;
      const sent = await withSim(({ BankCore }) => new BankCore(drop).deposit(o.from, o.amount, { ...(o.endToEndId !== undefined && { endToEndId: o.endToEndId }), duplicate: o.duplicate }));
      await report(drop, sent, o.wait);
    });

  sim.command('payouts')
    .description("execute the payouts the module left in out/: the omnibus debited, the client credited (or rejected as configured), a pacs.002 back")
    .option(...dropOption)
    .option('--wait', 'wait for a payout from the module if there is none yet, and until it has taken the status reports', false)
    .action(async (o: { drop?: string; wait: boolean }) => {
      const drop = o.drop ?? (await moduleLink(cli)).inbox;
      const sent = await withSim(async ({ BankCore }) => {
        const bank = new BankCore(drop);
        if (o.wait) await bank.waitForPayouts();
        return bank.executePayouts();
      });
      await report(drop, sent, o.wait);
    });

  sim.command('end-of-day')
    .description('close the day: a camt.053 statement of the omnibus account, every entry since the last one')
    .option(...dropOption)
    .option('--entries-per-page <n>', 'split the statement over several messages of at most n entries each (StmtPgntn), as a bank does with a large one', integerArg(1, 999_999))
    .option('--wait', 'wait until the module has taken it (and reconciled it)', false)
    .action(async (o: { drop?: string; entriesPerPage?: number; wait: boolean }) => {
      const drop = o.drop ?? (await moduleLink(cli)).inbox;
      const sent = await withSim(async ({ BankCore }) => o.entriesPerPage === undefined ? [await new BankCore(drop).endOfDay()] : new BankCore(drop).endOfDayInPages(o.entriesPerPage));
      await report(drop, sent, o.wait);
    });

  sim.command('serve')
    .description('run the bank: execute payouts as they arrive (after --payout-delay-ms) and close the day every --statement-every seconds, until stopped')
    .option(...dropOption)
    .option('--poll-ms <ms>', 'how often out/ is looked at', integerArg(10, 60_000), 250)
    .option('--payout-delay-ms <ms>', 'how long a payout waits before it is executed', integerArg(0, 86_400_000), 0)
    .option('--statement-every <s>', 'seconds between statements (none if absent)', integerArg(1, 86_400))
    .action(async (o: { drop?: string; pollMs: number; payoutDelayMs: number; statementEvery?: number }) => {
      const drop = o.drop ?? (await moduleLink(cli)).inbox;
      await withSim(async ({ BankCore }) => {
        const bank = new BankCore(drop);
        bank.read();
        let stopping = false;
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { stopping = true; });
        let nextStatement = o.statementEvery === undefined ? Infinity : Date.now() + o.statementEvery * 1000;
        process.stderr.write(`bank-sim serving ${drop}\n`);
        while (!stopping) {
          for (const s of await bank.executePayouts(o.payoutDelayMs)) process.stdout.write(`sent ${s.summary}\n`);
          if (Date.now() >= nextStatement) {
            process.stdout.write(`sent ${(await bank.endOfDay()).summary}\n`);
            nextStatement = Date.now() + o.statementEvery! * 1000;
          }
          await new Promise((resolve) => setTimeout(resolve, o.pollMs));
        }
      });
    });
}
