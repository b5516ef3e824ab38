import { InvalidArgumentError, Option, type Command } from 'commander';
import { portArg, integerArg } from '../arguments.js';
import { MODULE_NAMES } from '../../modules/names.js';
import { CliError, EXIT, type Cli } from '../context.js';

const isModuleName = (name: string): boolean => (MODULE_NAMES as readonly string[]).includes(name);

function moduleList(text: string): string[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.find((name) => !isModuleName(name));
  if (unknown !== undefined || names.length === 0) throw new InvalidArgumentError(`no module "${unknown ?? ''}"; known: ${MODULE_NAMES.join(', ')}`);
  return names;
}

/** Running a node or an observer, creating a network, moving a ledger to PostgreSQL. */
export function nodeCommands(program: Command, cli: Cli): void {
  program.command('start')
    .description('start a node: on the embedded SQLite store, or on PostgreSQL alongside other nodes (one is elected sequencer)')
    .option('--demo', 'create and populate the demo network on first start', false)
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any free port)', portArg, 8080)
    .option('--block-interval-ms <ms>', 'group-commit window', integerArg(1, 10_000), 2)
    .addOption(new Option('--log-level <level>', 'log level (default: info; debug logs every request)').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .addOption(new Option('--database-url <url>', 'PostgreSQL instead of the embedded SQLite file (keys and genesis stay in the data directory)').env('DEPOSITUM_DATABASE_URL'))
    .addOption(new Option('--advertise-url <url>', 'where the other nodes on the same database reach this one (default: http://<host>:<port>)').env('DEPOSITUM_ADVERTISE_URL'))
    .option('--modules <names>', `modules to run in the node's process, comma-separated (known: ${MODULE_NAMES.join(', ')}); each signs with <data-dir>/keys/<name>.json`, moduleList)
    .addHelpText('after', '\nExamples:\n  $ depositum start --demo --modules notifier                 # the demo network on http://127.0.0.1:8080\n  $ npm start -- --port 9090               # the same through npm, on another port\n  $ depositum start --database-url postgres://127.0.0.1/ledger --port 8081')
    .action(async (o: { demo: boolean; host: string; port: number; blockIntervalMs: number; logLevel?: string; databaseUrl?: string; advertiseUrl?: string; modules?: string[] }) => {
      const { dataDir } = cli.options;
      const { runNode } = await import('../../node/run.js');
      const node = await runNode({
        dataDir, host: o.host, port: o.port, demo: o.demo, sequencer: { blockIntervalMs: o.blockIntervalMs },
        // A demo's terminal shows the banner and what goes wrong; every request is one debug line.
        logLevel: o.logLevel ?? 'info', ...(o.demo && o.logLevel === undefined && { requestLogLevel: 'debug' }),
        ...(o.databaseUrl !== undefined && { databaseUrl: o.databaseUrl }),
        ...(o.advertiseUrl !== undefined && { advertiseUrl: o.advertiseUrl }),
        ...(o.modules !== undefined && { modules: o.modules }),
      });
      const here = o.port === 8080 && o.host === '127.0.0.1' ? '' : ` --url ${node.url}`;
      const cli$ = `./bin/depositum${here}`;
      const tryThese = o.demo
        ? ['Try, from another terminal:', `  ${cli$} balances`, `  ${cli$} --as first-meridian mint --to acme-usd --amount 1000000.00 --deposit-ref DEP-0001`, `  ${cli$} --as acme pay --from acme-usd --to globex-usd --amount 250000.00`, `  ${cli$} supply`, `  ${cli$} verify --online`, '']
        : [];
      console.error([
        '',
        `Depositum node for network ${node.ledger.genesis.network} listening on ${node.url}`,
        ...(o.modules === undefined ? [] : [`  modules: ${o.modules.map((name) => `${name} (${node.url}/v1/${name}/)`).join(', ')}`]),
        `  console: ${node.url}/console/ (sign in with a participant's key file from ${dataDir}/keys/)`,
        `  store: ${node.ledger.store.kind}  role: ${node.cluster === null ? 'sequencer' : 'elected (follower until it holds the lease)'}  data directory: ${dataDir}  height: ${node.ledger.engine.head?.header.height ?? 0}  signature workers: ${node.ledger.verifierThreads}  OpenAPI: ${node.url}/openapi.json`,
        '',
        ...tryThese,
      ].join('\n'));
      stopOnSignal(() => node.close(), (message) => node.app.log.info(message));
    });

  program.command('module')
    .description('modules as their own processes')
    .command('run <name>')
    .description(`run a module (known: ${MODULE_NAMES.join(', ')}) as its own process: it follows the node at --url as --as (a participant with the roles the module needs), keeps its tables in --database and serves its routes under /v1/<name>`)
    .requiredOption('--database <location>', 'a SQLite file path, or a postgres:// URL (the node\'s own database is fine: the module keeps to its own tables)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any free port)', portArg, 8091)
    .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
    .addHelpText('after', '\nExample:\n  $ depositum --as notifier --url http://127.0.0.1:8080 module run notifier --database data/notifier.db --port 8091')
    .action(async (name: string, o: { database: string; host: string; port: number; logLevel: string }) => {
      if (!isModuleName(name)) throw new CliError(`no module "${name}"; known: ${MODULE_NAMES.join(', ')}`, EXIT.usage, 'invalid_argument', 'usage_error', 'name');
      const [{ moduleNamed }, { runStandaloneModule }, { nodeLogger }, client] = await Promise.all([
        import('../../modules/index.js'), import('../../modules/kit/standalone.js'), import('../../node/logging.js'), cli.client(),
      ]);
      const log = await nodeLogger(o.logLevel);
      const database = /^postgres(ql)?:\/\//.test(o.database) ? { postgres: o.database } : { sqlite: o.database };
      const running = await runStandaloneModule({ module: await moduleNamed(name, { dataDir: cli.options.dataDir, demo: false }), client, database, host: o.host, port: o.port, log });
      console.error(`module ${name} as ${client.participant}, following ${client.url}, serving ${running.url}/v1/${name}/`);
      stopOnSignal(() => running.close(), (message) => log.info(message));
    });

  program.command('observe')
    .description("follow another node's chain, verify every block and keep a verified copy (an auditor's observer replays everything and serves the read API); --once checks and exits")
    .addOption(new Option('--upstream <url>', 'the node to follow').env('DEPOSITUM_UPSTREAM_URL').makeOptionMandatory())
    .option('--genesis-hash <hash>', 'the genesis hash the operator published (required on first start)')
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--port <port>', 'listen port (0: any free port)', portArg, 8090)
    .option('--poll-interval-ms <ms>', 'how often to ask upstream for new blocks', integerArg(1, 600_000), 500)
    .option('--once', 'catch up once, report, and exit (0 verified, 3 a block did not verify)', false)
    .addOption(new Option('--log-level <level>', 'log level').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'))
    .addHelpText('after', '\nExamples:\n  $ depositum --as auditor observe --upstream http://127.0.0.1:8080 --genesis-hash 3f2a…\n  $ depositum --as auditor observe --upstream http://127.0.0.1:8080 --once --json')
    .action(async (o: { upstream: string; genesisHash?: string; host: string; port: number; pollIntervalMs: number; once: boolean; logLevel: string }) => {
      const { dataDir, as } = cli.options;
      const [{ runObserver }, { describeObserved }] = await Promise.all([import('../../node/observe.js'), import('../verify.js')]);
      const running = await runObserver({
        dataDir, upstream: o.upstream, as, host: o.host, port: o.port, logLevel: o.once ? 'warn' : o.logLevel,
        observer: { pollIntervalMs: o.pollIntervalMs }, ...(o.genesisHash !== undefined && { genesisHash: o.genesisHash }),
      }, !o.once);
      if (o.once) {
        const status = await running.observer.catchUp().finally(() => running.close());
        cli.print(status, () => describeObserved(status));
        if (status.alarm !== null) process.exitCode = EXIT.invalid;
        return;
      }
      console.error(`observer of ${o.upstream} (${running.observer.status.complete ? 'every transaction, replayed' : `headers and ${as}'s transactions, proven`}) listening on ${running.url}; status at ${running.url}/v1/observer`);
      stopOnSignal(() => running.close(), () => undefined);
    });

  program.command('init')
    .description("create a new network in the data directory: the operator's key, a validator key and the genesis")
    .requiredOption('--network <id>', 'network id: lower-case letters, digits, . _ -, e.g. acme-bank-prod')
    .requiredOption('--legal-name <name>', "the operator's legal name")
    .requiredOption('--lei <lei>', "the operator's LEI (ISO 17442, 20 characters with valid check digits)")
    .requiredOption('--jurisdiction <cc>', 'ISO 3166-1 alpha-2 country code, e.g. US')
    .option('--operator-id <id>', "the operator's participant id", 'operator')
    .addHelpText('after', '\nExample:\n  $ depositum --data-dir ./bank init --network acme-bank-prod --legal-name "Acme Bank N.A." --lei 5493001KJTIIGC8Y1R12 --jurisdiction US')
    .action(async (o: { network: string; legalName: string; lei: string; jurisdiction: string; operatorId: string }) => {
      const { dataDir } = cli.options;
      const { initNetwork } = await import('../../node/data-dir.js');
      const genesis = await cli.asUsage(() => initNetwork(dataDir, { network: o.network, operatorId: o.operatorId, legalName: o.legalName, lei: o.lei, jurisdiction: o.jurisdiction }),
        { network: '--network', 'operator.id': '--operator-id', 'operator.legalName': '--legal-name', 'operator.lei': '--lei', 'operator.jurisdiction': '--jurisdiction' });
      cli.print(genesis, () => `network ${genesis.network} created in ${dataDir}; start it with: depositum --data-dir ${dataDir} start`);
    });

  program.command('copy-to-postgres')
    .description('copy the ledger from the SQLite file in the data directory to an empty PostgreSQL database, then verify the copy')
    .addOption(new Option('--database-url <url>', 'the target PostgreSQL').env('DEPOSITUM_DATABASE_URL').makeOptionMandatory())
    .action(async (o: { databaseUrl: string }) => {
      const { copyToPostgres, describeVerification } = await import('../verify.js');
      const { copied, outcome } = await copyToPostgres(cli.options.dataDir, o.databaseUrl);
      cli.print({ ...copied, ok: outcome.ok, failure: outcome.report.failure, stateProblem: outcome.stateProblem }, () =>
        `copied ${copied.blocks} blocks, ${copied.transactions} transactions and the snapshot at height ${copied.snapshotHeight}\n${describeVerification(outcome)}`);
      if (!outcome.ok) process.exitCode = EXIT.invalid;
    });
}

/** Stops cleanly on Ctrl-C or SIGTERM: the block in progress is finished and made durable first. */
function stopOnSignal(close: () => Promise<void>, log: (message: string) => void): void {
  const stop = (): void => {
    log('shutting down: finishing the current block');
    void close().then(() => process.exit(process.exitCode ?? 0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
