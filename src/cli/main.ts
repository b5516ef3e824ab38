#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { accountCommands } from './commands/accounts.js';
import { chainCommands } from './commands/chain.js';
import { moneyCommands } from './commands/money.js';
import { conditionalCommands } from './commands/conditional.js';
import { settlementCommands } from './commands/settlement.js';
import { instructionCommands } from './commands/instructions.js';
import { parCommands } from './commands/par.js';
import { bankingCommands } from './commands/banking.js';
import { bankSimCommands } from './commands/bank-sim.js';
import { screenCommands } from './commands/screen.js';
import { complianceCommands } from './commands/compliance.js';
import { reservesCommands } from './commands/reserves.js';
import { tradeCommands } from './commands/trade.js';
import { consoleCommands } from './commands/console.js';
import { policyCommands } from './commands/policies.js';
import { nodeCommands } from './commands/node.js';
import { participantCommands } from './commands/participants.js';
import { webhookCommands } from './commands/webhooks.js';
import { Cli, CliError, EXIT } from './context.js';
import { reportFailure } from './failure.js';

/** The package's version, from its package.json (two levels up from src/cli, three from dist/src/cli). */
function version(): string {
  for (const up of ['../../package.json', '../../../package.json']) {
    const file = new URL(up, import.meta.url);
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

const EXAMPLES = `
Examples:
  $ depositum balances                                   # as the operator, on the node in ./data
  $ depositum --as acme pay --from acme-usd --to globex-usd --amount 250000.00
  $ depositum --as acme --json history acme-usd          # one JSON document on stdout
  $ depositum --as auditor verify --online

Exit status: 0 done, 1 the ledger or the node said no, 2 bad usage or a local problem, 3 verification failed.
With --json, every outcome (errors too) is one JSON document on stdout; see docs/cli.md.`;

const program = new Command('depositum')
  .description('Deposit tokens on a permissioned, verifiable ledger')
  .version(version(), '-V, --version', 'print the version')
  .addOption(new Option('--data-dir <dir>', 'data directory (genesis, keys, ledger)').env('DEPOSITUM_DATA_DIR').default('data'))
  .addOption(new Option('--url <url>', 'node URL, or several of one ledger separated by commas (default: the one the local node wrote to <data-dir>/node.json)').env('DEPOSITUM_URL'))
  .addOption(new Option('--as <participant>', 'act as this participant, with its key from <data-dir>/keys').env('DEPOSITUM_AS').default('operator'))
  .option('--json', 'machine-readable output: one JSON document on stdout, errors included', false)
  .option('--simulate', 'do not sign or send: show what the command\'s transaction would do now (result, events, your balances after)')
  .option('--tx-id <id>', 'transaction id for a submission (default: a fresh UUID); resending the same id and content is safe')
  .addHelpText('after', EXAMPLES)
  .showHelpAfterError('(add --help for usage)')
  .showSuggestionAfterError(true)
  .exitOverride();

// Under --json a usage error is reported once, as JSON, by reportFailure: commander's own line is dropped.
const json = process.argv.includes('--json');
program.configureOutput({ outputError: (text, write) => (json ? undefined : write(text)), writeErr: (text) => (json ? undefined : process.stderr.write(text)) });

// Output piped into `head` and the like: a closed pipe ends the command quietly.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const cli = new Cli(program);
nodeCommands(program, cli);
participantCommands(program, cli);
moneyCommands(program, cli);
conditionalCommands(program, cli);
settlementCommands(program, cli);
policyCommands(program, cli);
instructionCommands(program, cli);
parCommands(program, cli);
accountCommands(program, cli);
chainCommands(program, cli);
webhookCommands(program, cli);
bankingCommands(program, cli);
bankSimCommands(program, cli);
screenCommands(program, cli);
complianceCommands(program, cli);
reservesCommands(program, cli);
tradeCommands(program, cli);
consoleCommands(program, cli);
// Subcommands report their mistakes the same way as the program.
const reportLikeTheProgram = (command: Command): void => {
  for (const sub of command.commands) {
    sub.exitOverride().showHelpAfterError('(add --help for usage)');
    reportLikeTheProgram(sub);
  }
};
reportLikeTheProgram(program);

try {
  await program.parseAsync();
} catch (error) {
  if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')) {
    process.exitCode = 0;
  } else if (error instanceof CommanderError && !json) {
    process.exitCode = EXIT.usage; // commander has said what was wrong, and pointed at --help
  } else if (error instanceof CommanderError) {
    await reportFailure(new CliError(error.message.replace(/^error: /, ''), EXIT.usage, error.code.replace(/^commander\./, '').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)), json, cli);
  } else {
    await reportFailure(error, json, cli);
  }
}
