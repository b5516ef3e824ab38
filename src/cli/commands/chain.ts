import type { Command } from 'commander';
import type { DepositumClient, LedgerEvent, TransactionRecord } from '../../sdk/index.js';
import { integerArg } from '../arguments.js';
import { CliError, EXIT, type Cli } from '../context.js';
import { isoTime, shortTime, table } from '../format.js';

/** Reading the chain itself: a transaction with its receipt, blocks, the event feed, and verifying it all. */
export function chainCommands(program: Command, cli: Cli): void {
  program.command('tx <ref>')
    .description('a transaction by sender/id, hash or the start of its hash (as history prints it), with its receipt checked against the validator keys')
    .addHelpText('after', '\nExamples:\n  $ depositum --as acme tx acme/inv-2026-0042\n  $ depositum --as acme tx 3fa1c9e07b')
    .action(async (ref: string) => {
      const client = await cli.client();
      const tx = await findTransaction(client, ref);
      const receipt = await client.receipt(tx.hash);
      const shown = tx.envelope ?? tx.disclosed!;
      const problem = await client.receiptProblem(receipt, shown);
      const { describeOperation } = await import('../../core/operations/index.js');
      const { body } = shown;
      const operations = tx.envelope !== undefined
        ? tx.envelope.body.operations.map((op) => describeOperation(op))
        : tx.disclosed!.body.operations.map((op) => ('operation' in op ? describeOperation(op.operation) : '(an operation of other parties, withheld)'));
      cli.print({ ...tx, receipt, proofValid: problem === null }, () => [
        `transaction ${tx.hash}`,
        `  id ${body.sender}/${body.id}, signed by ${shown.signatures.map((s) => s.signer).join(', ')}`,
        ...(body.reference === undefined ? [] : [`  reference ${body.reference}`]),
        ...(body.memo === undefined ? [] : [`  memo ${body.memo}`]),
        ...operations.map((words, i) => `  [${i}] ${words}`),
        `  result: ${tx.result.status === 'committed' ? 'committed' : `rejected: ${tx.result.code} (operation ${tx.result.operation ?? '-'})`}`,
        `  block ${receipt.block.header.height} at ${isoTime(receipt.block.header.timestampMs)}, position ${receipt.index} of ${receipt.block.header.transactionCount}`,
        `  Merkle proof: ${receipt.transactionProof.length} nodes to transaction root ${receipt.block.header.transactionRoot.slice(0, 16)}…`,
        `  receipt: ${problem === null ? 'VALID (validator signature, transaction and result inclusion proofs)' : `INVALID: ${problem}`}`,
      ].join('\n'));
      if (problem !== null) process.exitCode = EXIT.invalid;
    });

  program.command('blocks')
    .description('the latest blocks')
    .option('--limit <n>', 'how many', integerArg(1, 500), 10)
    .action(async (o: { limit: number }) => {
      const client = await cli.client();
      const { height } = await client.network();
      const blocks = (await client.blocks(Math.max(0, height - o.limit), o.limit)).data.reverse();
      const rows = blocks.map((b) => [String(b.header.height), shortTime(b.header.timestampMs), String(b.header.transactionCount), b.hash.slice(0, 16), b.header.stateRoot.slice(0, 16)]);
      cli.print(blocks, () => table(['height', 'time (UTC)', 'txs', 'hash', 'state root'], rows, { right: new Set([0, 2]) }));
    });

  program.command('events')
    .description('domain events you may see, in chain order (issued, transferred, hold_posted, …)')
    .option('--after <position>', 'events after this position ("height:index:n")')
    .option('--types <types>', 'comma-separated event types')
    .option('--limit <n>', 'how many', integerArg(1, 500), 50)
    .addHelpText('after', '\nExamples:\n  $ depositum --as acme events --types transferred,hold_posted\n  $ depositum --as acme events --after 12:3:0')
    .action(async (o: { after?: string; types?: string; limit: number }) => {
      const page = await (await cli.client()).events({ limit: o.limit, ...(o.after !== undefined && { after: o.after }), ...(o.types !== undefined && { types: o.types.split(',') }) });
      cli.print(page, () => {
        const lines = [table(['position', 'time (UTC)', 'type', 'accounts', 'details', 'tx'], page.data.map(eventRow), { maxWidths: { 3: 30, 4: 48, 5: 10 } })];
        if (page.next !== null) lines.push(`next: depositum events --after ${page.next}${o.types === undefined ? '' : ` --types ${o.types}`}`);
        return lines.join('\n');
      });
    });

  program.command('verify')
    .description('verify the whole chain: offline from the data directory, or online from a node (--online, or --url)')
    .option('--online', 'verify the node the CLI talks to (see --url) instead of the data directory', false)
    .option('--file <path>', 'SQLite ledger file (default: <data-dir>/ledger.sqlite)')
    .option('--genesis-hash <hash>', 'the genesis hash you trust (published by the operator)')
    .addHelpText('after', '\nExamples:\n  $ depositum verify                        # the ledger file in ./data, offline\n  $ depositum --as auditor verify --online  # the running node, as the auditor')
    .action(async (o: { online: boolean; file?: string; genesisHash?: string }) => {
      const online = o.online || cli.options.url !== undefined;
      if (online && o.file !== undefined) throw new CliError('--file verifies a ledger file offline; leave out --online and --url', EXIT.usage, 'conflicting_options', 'usage_error', '--file');
      const verify = await import('../verify.js');
      const outcome = online
        ? await verify.verifyNode(await cli.client(), o.genesisHash)
        : await verify.verifyDataFile(o.file ?? (await import('../../node/data-dir.js')).paths(cli.options.dataDir).ledger);
      if (!online && o.genesisHash !== undefined && outcome.report.genesisHash !== o.genesisHash) {
        outcome.ok = false;
        outcome.stateProblem = `genesis hash ${outcome.report.genesisHash} is not the expected ${o.genesisHash}`;
      }
      const { failure, blocks, transactions, genesisHash } = outcome.report;
      cli.print({ ok: outcome.ok, blocks, transactions, genesisHash, failure, stateProblem: outcome.stateProblem, attestations: outcome.attestations }, () => verify.describeVerification(outcome));
      if (!outcome.ok) process.exitCode = EXIT.invalid;
    });
}

/** sender/id, a whole hash, or the start of one. */
async function findTransaction(client: DepositumClient, ref: string): Promise<TransactionRecord> {
  const slash = ref.indexOf('/');
  if (slash > 0) return client.transactionById(ref.slice(0, slash), ref.slice(slash + 1));
  if (/^[0-9a-f]{64}$/.test(ref)) return client.transaction(ref);
  if (/^[0-9a-f]{6,63}$/.test(ref)) return client.transactionByHashPrefix(ref);
  throw new CliError(`"${ref}" is neither sender/id, a transaction hash, nor the start of one (at least 6 hex digits)`, EXIT.usage, 'invalid_argument', 'usage_error', '<ref>');
}

function eventRow(event: LedgerEvent): string[] {
  const details = Object.entries(event.data).filter(([name]) => !event.accounts.includes(String(event.data[name]))).map(([name, value]) => `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`).join(' ');
  return [event.position, shortTime(event.timeMs), event.type, event.accounts.join(' → '), details, event.transaction?.hash.slice(0, 10) ?? ''];
}
