#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { LocalSigner } from '../chain/index.js';
import type { KycStatus, Operation, Role } from '../core/index.js';
import { KeyStore } from '../node/keystore.js';
import { runObserver } from '../node/observe.js';
import type { ObserverStatus } from '../node/observer.js';
import { initNetwork, paths, runNode } from '../node/run.js';
import { DepositumApiError, DepositumClient, type Submission, type SubmitOptions } from '../sdk/index.js';
import { groupDigits, isoTime, parseDuration, table } from './format.js';
import { copyLedger } from '../store/copy.js';
import { PostgresStore } from '../store/postgres.js';
import { SqliteStore } from '../store/sqlite.js';
import { describeVerification, verifyDataFile, verifyNode, verifyStore } from './verify.js';

/** Exit codes: 0 done, 1 the ledger or the node said no, 2 bad usage or local problem, 3 verification failed. */
const EXIT = { rejected: 1, usage: 2, invalid: 3 } as const;

interface GlobalOptions { dataDir: string; url?: string; as: string; json: boolean; txId?: string }

class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

const program = new Command('depositum')
  .description('Deposit tokens on a permissioned, verifiable ledger')
  .addOption(new Option('--data-dir <dir>', 'data directory (genesis, keys, ledger)').env('DEPOSITUM_DATA_DIR').default('data'))
  .addOption(new Option('--url <url>', 'node URL, or several of one ledger separated by commas (default: the one the local node wrote to <data-dir>/node.json)').env('DEPOSITUM_URL'))
  .addOption(new Option('--as <participant>', 'act as this participant, with its key from <data-dir>/keys').env('DEPOSITUM_AS').default('operator'))
  .option('--json', 'machine-readable output', false)
  .option('--tx-id <id>', 'transaction id for a submission (default: a fresh UUID); resending the same id and content is safe')
  .showHelpAfterError();

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

function describeObserved(status: ObserverStatus): string {
  const view = status.complete ? 'replayed every transaction' : 'checked every header and the proofs of its own transactions';
  if (status.alarm === null) return `verified ${status.height} blocks from ${status.upstream} (${view}); upstream head ${status.upstreamHeight}`;
  const where = status.alarm.transaction === undefined ? `block ${status.alarm.height}` : `block ${status.alarm.height}, transaction ${status.alarm.transaction}`;
  return `ALARM: ${where} from ${status.upstream} does not verify: ${status.alarm.reason}\nkept the ${status.height} blocks that verified`;
}

function nodeUrl(options: GlobalOptions): string {
  if (options.url !== undefined) return options.url;
  const file = paths(options.dataDir).node;
  if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url;
  return 'http://127.0.0.1:8080';
}

function clientAs(participant?: string): DepositumClient {
  const options = globals();
  return new DepositumClient({ url: nodeUrl(options).split(','), signer: KeyStore.at(options.dataDir).load(participant ?? options.as) });
}

function print(options: GlobalOptions, value: unknown, human: () => string): void {
  console.log(options.json ? JSON.stringify(value, null, 2) : human());
}

function amountArg(value: string): string {
  if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value.replaceAll(',', ''))) throw new InvalidArgumentError('an amount is a decimal such as 1000000.00');
  return value.replaceAll(',', '');
}

/** Submits as --as (plus cosigners) and reports the result; a rejection exits 1 with its code. */
async function submit(operations: Operation[], options: SubmitOptions & { cosign?: string[] } = {}): Promise<Submission> {
  const keys = KeyStore.at(globals().dataDir);
  const { cosign, ...rest } = options;
  const { txId } = globals();
  const client = clientAs();
  const outcome = await client.submit(operations, { ...rest, ...(txId !== undefined && { id: txId }), cosigners: (cosign ?? []).map((name) => keys.load(name)) });
  if (outcome.status !== 'sealed') {
    print(globals(), outcome, () => `submitted ${outcome.hash} (pending)`);
    return outcome;
  }
  const { receipt } = outcome;
  const { result } = receipt;
  print(globals(), outcome, () =>
    result.status === 'committed'
      ? `committed in block ${receipt.block.header.height} (transaction ${receipt.transaction})`
      : `rejected: ${result.code}${result.operation === null ? '' : ` (operation ${result.operation})`}, recorded in block ${receipt.block.header.height}`,
  );
  if (result.status === 'rejected') process.exitCode = EXIT.rejected;
  return outcome;
}

/** A command action: submits and reports, resolving to nothing. */
const send = async (...args: Parameters<typeof submit>): Promise<void> => {
  await submit(...args);
};

program.command('start')
  .description('start a node: on the embedded SQLite store, or on PostgreSQL alongside other nodes (one is elected sequencer)')
  .option('--demo', 'create and populate the demo network on first start', false)
  .option('--host <host>', 'listen address', '127.0.0.1')
  .option('--port <port>', 'listen port', (v) => Number.parseInt(v, 10), 8080)
  .option('--block-interval-ms <ms>', 'group-commit window', (v) => Number.parseInt(v, 10), 2)
  .option('--log-level <level>', 'pino log level', 'info')
  .addOption(new Option('--database-url <url>', 'PostgreSQL instead of the embedded SQLite file (keys and genesis stay in the data directory)').env('DEPOSITUM_DATABASE_URL'))
  .addOption(new Option('--advertise-url <url>', 'where the other nodes on the same database reach this one (default: http://<host>:<port>)').env('DEPOSITUM_ADVERTISE_URL'))
  .action(async (options: { demo: boolean; host: string; port: number; blockIntervalMs: number; logLevel: string; databaseUrl?: string; advertiseUrl?: string }) => {
    const { dataDir } = globals();
    const node = await runNode({
      dataDir, host: options.host, port: options.port, demo: options.demo, logLevel: options.logLevel, sequencer: { blockIntervalMs: options.blockIntervalMs },
      ...(options.databaseUrl !== undefined && { databaseUrl: options.databaseUrl }),
      ...(options.advertiseUrl !== undefined && { advertiseUrl: options.advertiseUrl }),
    });
    const cli = './bin/depositum';
    const tryThese = options.demo
      ? ['Try, from another terminal:', `  ${cli} balances`, `  ${cli} --as first-meridian mint --to acme-usd --amount 1000000.00 --deposit-ref DEP-0001`, `  ${cli} --as acme pay --from acme-usd --to globex-usd --amount 250000.00`, `  ${cli} supply`, `  ${cli} verify`, '']
      : [];
    console.error([
      '',
      `Depositum node for network ${node.ledger.genesis.network} listening on ${node.url}`,
      `  store: ${node.ledger.store.kind}  role: ${node.cluster === null ? 'sequencer' : 'elected (follower until it holds the lease)'}  data directory: ${dataDir}  height: ${node.ledger.engine.head?.header.height ?? 0}  signature workers: ${node.ledger.verifierThreads}  OpenAPI: ${node.url}/openapi.json`,
      '',
      ...tryThese,
    ].join('\n'));
    const stop = (): void => {
      node.app.log.info('shutting down: finishing the current block');
      void node.close().then(() => process.exit(process.exitCode ?? 0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

program.command('observe')
  .description("follow another node's chain, verify every block and keep a verified copy (an auditor's observer replays everything and serves the read API); --once checks and exits")
  .addOption(new Option('--upstream <url>', 'the node to follow').env('DEPOSITUM_UPSTREAM_URL').makeOptionMandatory())
  .option('--genesis-hash <hash>', 'the genesis hash the operator published (required on first start)')
  .option('--host <host>', 'listen address', '127.0.0.1')
  .option('--port <port>', 'listen port', (v) => Number.parseInt(v, 10), 8090)
  .option('--poll-interval-ms <ms>', 'how often to ask upstream for new blocks', (v) => Number.parseInt(v, 10), 500)
  .option('--once', 'catch up once, report, and exit (0 verified, 3 a block did not verify)', false)
  .option('--log-level <level>', 'pino log level', 'info')
  .action(async (o: { upstream: string; genesisHash?: string; host: string; port: number; pollIntervalMs: number; once: boolean; logLevel: string }) => {
    const options = globals();
    const running = await runObserver({
      dataDir: options.dataDir, upstream: o.upstream, as: options.as, host: o.host, port: o.port, logLevel: o.once ? 'warn' : o.logLevel,
      observer: { pollIntervalMs: o.pollIntervalMs }, ...(o.genesisHash !== undefined && { genesisHash: o.genesisHash }),
    }, !o.once);
    if (o.once) {
      const status = await running.observer.catchUp().finally(() => running.close());
      print(options, status, () => describeObserved(status));
      if (status.alarm !== null) process.exitCode = EXIT.invalid;
      return;
    }
    console.error(`observer of ${o.upstream} (${running.observer.status.complete ? 'every transaction, replayed' : `headers and ${options.as}'s transactions, proven`}) listening on ${running.url}; status at ${running.url}/v1/observer`);
    const stop = (): void => void running.close().then(() => process.exit(process.exitCode ?? 0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

const keys = program.command('keys').description('keys in the data directory');

keys.command('list', { isDefault: true })
  .description('list the keys in the data directory')
  .action(() => {
    const store = KeyStore.at(globals().dataDir);
    const rows = store.names().map((name) => {
      const signer = store.load(name);
      return [name, signer.participant, signer.keyId, signer.publicKey];
    });
    print(globals(), rows, () => table(['name', 'participant', 'key id', 'public key'], rows));
  });

keys.command('generate <participant>')
  .description('create a new Ed25519 key for a participant (register its public key with register-participant)')
  .option('--key-id <id>', 'key id (default: <participant>-1)')
  .action((participant: string, o: { keyId?: string }) => {
    const signer = LocalSigner.generate(participant, o.keyId ?? `${participant}-1`);
    KeyStore.at(globals().dataDir).save(participant, signer);
    print(globals(), { participant, keyId: signer.keyId, publicKey: signer.publicKey }, () => `key ${signer.keyId} for ${participant}: public key ${signer.publicKey}`);
  });

program.command('participants')
  .description('the network directory')
  .action(async () => {
    const participants = (await clientAs().participants()).data as { id: string; legalName: string; lei: string; jurisdiction: string; roles: string[]; kycStatus?: string }[];
    const rows = participants.map((p) => [p.id, p.legalName, p.lei, p.jurisdiction, p.roles.join(','), p.kycStatus ?? '']);
    print(globals(), participants, () => table(['id', 'legal name', 'LEI', 'country', 'roles', 'KYC'], rows));
  });

program.command('register-participant <id>')
  .description('register a participant with the key made by "keys generate" (operator)')
  .requiredOption('--legal-name <name>').requiredOption('--lei <lei>').requiredOption('--jurisdiction <cc>')
  .addOption(new Option('--role <role...>', 'roles').choices(['operator', 'issuer', 'compliance', 'auditor', 'client']).default(['client']))
  .addOption(new Option('--kyc <status>', 'KYC status').choices(['pending', 'approved', 'rejected', 'suspended']).default('pending'))
  .option('--kyc-expires <duration>', 'KYC approval lapses after this long, e.g. 365d')
  .action(async (id: string, o: { legalName: string; lei: string; jurisdiction: string; role: Role[]; kyc: KycStatus; kycExpires?: string }) => {
    const signer = KeyStore.at(globals().dataDir).load(id);
    const lapse = o.kycExpires === undefined ? null : parseDuration(o.kycExpires);
    if (o.kycExpires !== undefined && lapse === null) throw new CliError('--kyc-expires takes a duration such as 365d', EXIT.usage);
    await send([{
      type: 'register_participant',
      participant: { id, legalName: o.legalName, lei: o.lei, jurisdiction: o.jurisdiction, roles: o.role, kycStatus: o.kyc, kycExpiresAtMs: lapse === null ? null : Date.now() + lapse, keys: [{ id: signer.keyId, publicKey: signer.publicKey }] },
    }]);
  });

program.command('set-kyc <participant>')
  .description("change a participant's KYC status (operator or compliance)")
  .addOption(new Option('--status <status>').choices(['pending', 'approved', 'rejected', 'suspended']).makeOptionMandatory())
  .option('--expires <duration>', 'approval lapses after this long, e.g. 365d')
  .action(async (participant: string, o: { status: KycStatus; expires?: string }) => {
    const lapse = o.expires === undefined ? undefined : parseDuration(o.expires);
    if (lapse === null) throw new CliError('--expires takes a duration such as 365d', EXIT.usage);
    await send([{ type: 'update_participant', participant, changes: { kycStatus: o.status, ...(lapse !== undefined && { kycExpiresAtMs: Date.now() + lapse }) } }]);
  });

program.command('mint')
  .description('issue tokens against a bank deposit (as an issuer with a minter allowance)')
  .requiredOption('--to <account>', 'account credited')
  .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
  .requiredOption('--deposit-ref <ref>', 'the bank deposit (e.g. camt.054 entry reference) backing the tokens')
  .action((o: { to: string; amount: string; depositRef: string }) => send([{ type: 'issue', account: o.to, amount: o.amount, depositReference: o.depositRef }]));

program.command('pay')
  .description('transfer between accounts of the same asset')
  .requiredOption('--from <account>').requiredOption('--to <account>')
  .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
  .option('--reference <ref>', 'ISO 20022 end-to-end id or UETR')
  .option('--memo <text>')
  .action((o: { from: string; to: string; amount: string; reference?: string; memo?: string }) =>
    send([{ type: 'transfer', from: o.from, to: o.to, amount: o.amount }], { ...(o.reference !== undefined && { reference: o.reference }), ...(o.memo !== undefined && { memo: o.memo }) }));

program.command('hold')
  .description('reserve funds toward a payee until posted, voided or expired')
  .requiredOption('--from <account>').requiredOption('--to <account>')
  .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
  .requiredOption('--expires <duration>', 'e.g. 30m, 1h, 2d')
  .option('--id <hold>', 'hold id (default: generated)')
  .action(async (o: { from: string; to: string; amount: string; expires: string; id?: string }) => {
    const durationMs = parseDuration(o.expires);
    if (durationMs === null) throw new CliError('--expires takes a duration such as 30m, 1h or 2d', EXIT.usage);
    const hold = o.id ?? `hold-${Date.now().toString(36)}`;
    const { timeMs } = await clientAs().network();
    const outcome = await submit([{ type: 'hold', hold, from: o.from, to: o.to, amount: o.amount, expiresAtMs: Math.max(Date.now(), timeMs) + durationMs }]);
    if (!globals().json && outcome.status === 'sealed' && outcome.receipt.result.status === 'committed') console.log(`hold id: ${hold}`);
  });

program.command('post <hold>')
  .description('pay out a hold, in full or in part; the rest returns to the payer')
  .option('--amount <amount>', 'part to post (default: all)', amountArg)
  .action((hold: string, o: { amount?: string }) => send([{ type: 'post', hold, ...(o.amount !== undefined && { amount: o.amount }) }]));

program.command('void <hold>')
  .description('cancel a hold: its funds return to the payer')
  .action((hold: string) => send([{ type: 'void', hold }]));

program.command('redeem')
  .description("burn tokens back into the issuer's books (needs the holder's and the issuer's signatures)")
  .requiredOption('--from <account>')
  .requiredOption('--amount <amount>', 'amount in the asset unit', amountArg)
  .requiredOption('--payout-ref <ref>', 'the bank account or payment (pacs.008) the issuer pays out to')
  .option('--cosign <participant...>', 'also sign as these participants (keys from the data directory), e.g. the issuer')
  .action((o: { from: string; amount: string; payoutRef: string; cosign?: string[] }) =>
    send([{ type: 'redeem', account: o.from, amount: o.amount, payoutReference: o.payoutRef }], o.cosign === undefined ? {} : { cosign: o.cosign }));

program.command('open-account <account>')
  .description('open an account (as the operator, or as its owner)')
  .requiredOption('--owner <participant>').requiredOption('--asset <asset>')
  .action((account: string, o: { owner: string; asset: string }) => send([{ type: 'open_account', account, owner: o.owner, asset: o.asset }]));

for (const [name, type, what] of [['freeze', 'freeze_account', 'freeze an account (compliance)'], ['unfreeze', 'unfreeze_account', 'unfreeze an account (compliance)']] as const) {
  program.command(`${name} <account>`).description(what).action((account: string) => send([{ type, account }]));
}
for (const [name, type, what] of [['pause', 'pause_asset', 'pause every movement of an asset'], ['unpause', 'unpause_asset', 'resume an asset']] as const) {
  program.command(`${name} <asset>`).description(what).action((asset: string) => send([{ type, asset }]));
}

program.command('define-asset <asset>')
  .description('list a new asset (operator)')
  .requiredOption('--code <code>', 'ISO 4217 currency or ISIN').requiredOption('--issuer <participant>')
  .option('--decimals <n>', 'scale', (v) => Number.parseInt(v, 10), 2)
  .addOption(new Option('--kind <kind>').choices(['deposit_token', 'stablecoin', 'security']).default('deposit_token'))
  .action((asset: string, o: { code: string; issuer: string; decimals: number; kind: 'deposit_token' | 'stablecoin' | 'security' }) =>
    send([{ type: 'define_asset', asset, kind: o.kind, code: o.code, decimals: o.decimals, issuer: o.issuer }]));

program.command('set-minter')
  .description("set a minter's remaining allowance (as the asset's issuer)")
  .requiredOption('--asset <asset>').requiredOption('--minter <participant>')
  .requiredOption('--allowance <amount>', 'amount in the asset unit', amountArg)
  .action((o: { asset: string; minter: string; allowance: string }) => send([{ type: 'configure_minter', asset: o.asset, minter: o.minter, allowance: o.allowance }]));

program.command('balances')
  .description('available and held balances of the accounts you may see')
  .option('--owner <participant>')
  .action(async (o: { owner?: string }) => {
    const accounts = (await clientAs().accounts(o.owner)).data;
    const rows = accounts.map((a) => [a.id, a.owner, a.asset, groupDigits(a.available), groupDigits(a.held), a.frozen ? 'frozen' : '']);
    print(globals(), accounts, () => table(['account', 'owner', 'asset', 'available', 'held', ''], rows, new Set([3, 4])));
  });

program.command('history <account>')
  .description("an account's transactions, newest first")
  .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 20)
  .action(async (account: string, o: { limit: number }) => {
    const page = await clientAs().history(account, o.limit);
    const rows = page.data.map((line) => [isoTime(line.timeMs), line.code === undefined ? line.type : `${line.type}: ${line.code}`, groupDigits(line.availableChange), groupDigits(line.available), line.counterparty ?? '', line.reference ?? '', line.memo ?? '']);
    print(globals(), page, () => table(['time', 'what', 'change', 'available', 'counterparty', 'reference', 'memo'], rows, new Set([2, 3])));
  });

program.command('supply')
  .description('every asset with its issued, redeemed and outstanding supply')
  .action(async () => {
    const assets = (await clientAs().assets()).data;
    const rows = assets.map((a) => [a.id, a.code, a.issuer, groupDigits(a.issued), groupDigits(a.redeemed), groupDigits(a.supply), a.paused ? 'paused' : '']);
    print(globals(), assets, () => table(['asset', 'code', 'issuer', 'issued', 'redeemed', 'supply', ''], rows, new Set([3, 4, 5])));
  });

program.command('tx <ref>')
  .description('a transaction by hash or sender/id, with its receipt checked against the validator keys')
  .action(async (ref: string) => {
    const client = clientAs();
    const slash = ref.indexOf('/');
    const tx = slash > 0 ? await client.transactionById(ref.slice(0, slash), ref.slice(slash + 1)) : await client.transaction(ref);
    const receipt = await client.receipt(tx.hash);
    const shown = tx.envelope ?? tx.disclosed!;
    const problem = await client.receiptProblem(receipt, shown);
    print(globals(), { ...tx, receipt, proofValid: problem === null }, () => [
      `transaction ${tx.hash}`,
      `  id ${shown.body.sender}/${shown.body.id}, signed by ${shown.signatures.map((s) => s.signer).join(', ')}`,
      ...shown.body.operations.map((op, i) => `  [${i}] ${JSON.stringify(op)}`),
      `  result: ${tx.result.status === 'committed' ? 'committed' : `rejected: ${tx.result.code} (operation ${tx.result.operation ?? '-'})`}`,
      `  block ${receipt.block.header.height} at ${isoTime(receipt.block.header.timestampMs)}, position ${receipt.index} of ${receipt.block.header.transactionCount}`,
      `  Merkle proof: ${receipt.transactionProof.length} nodes to transaction root ${receipt.block.header.transactionRoot.slice(0, 16)}…`,
      `  receipt: ${problem === null ? 'VALID (validator signature, transaction and result inclusion proofs)' : `INVALID: ${problem}`}`,
    ].join('\n'));
    if (problem !== null) process.exitCode = EXIT.invalid;
  });

program.command('blocks')
  .description('the latest blocks')
  .option('--limit <n>', 'how many', (v) => Number.parseInt(v, 10), 10)
  .action(async (o: { limit: number }) => {
    const client = clientAs();
    const { height } = await client.request<{ height: number }>('GET', '/v1/network');
    const blocks = (await client.blocks(Math.max(0, height - o.limit), o.limit)).data.reverse();
    const rows = blocks.map((b) => [String(b.header.height), isoTime(b.header.timestampMs), String(b.header.transactionCount), b.hash.slice(0, 16), b.header.transactionRoot.slice(0, 16)]);
    print(globals(), blocks, () => table(['height', 'time', 'txs', 'hash', 'tx root'], rows, new Set([0, 2])));
  });

program.command('verify')
  .description('verify the whole chain: offline from the data directory, or online with --url')
  .option('--file <path>', 'SQLite ledger file (default: <data-dir>/ledger.sqlite)')
  .option('--genesis-hash <hash>', 'the genesis hash you trust (published by the operator)')
  .action(async (o: { file?: string; genesisHash?: string }) => {
    const options = globals();
    const outcome = options.url !== undefined
      ? await verifyNode(clientAs(), o.genesisHash)
      : await verifyDataFile(o.file ?? paths(options.dataDir).ledger);
    if (options.url === undefined && o.genesisHash !== undefined && outcome.report.genesisHash !== o.genesisHash) {
      outcome.ok = false;
      outcome.stateProblem = `genesis hash ${outcome.report.genesisHash} is not the expected ${o.genesisHash}`;
    }
    const { failure, blocks, transactions, genesisHash } = outcome.report;
    print(options, { ok: outcome.ok, blocks, transactions, genesisHash, failure, stateProblem: outcome.stateProblem }, () => describeVerification(outcome));
    if (!outcome.ok) process.exitCode = EXIT.invalid;
  });

program.command('copy-to-postgres')
  .description('copy the ledger from the SQLite file in the data directory to an empty PostgreSQL database, then verify the copy')
  .addOption(new Option('--database-url <url>', 'the target PostgreSQL').env('DEPOSITUM_DATABASE_URL').makeOptionMandatory())
  .action(async (o: { databaseUrl: string }) => {
    const options = globals();
    const source = new SqliteStore(paths(options.dataDir).ledger, { readonly: true });
    const target = await PostgresStore.open(o.databaseUrl);
    try {
      const copied = await copyLedger(source, target);
      const outcome = await verifyStore(target);
      print(options, { ...copied, ok: outcome.ok, failure: outcome.report.failure, stateProblem: outcome.stateProblem }, () =>
        `copied ${copied.blocks} blocks, ${copied.transactions} transactions and the snapshot at height ${copied.snapshotHeight}\n${describeVerification(outcome)}`);
      if (!outcome.ok) process.exitCode = EXIT.invalid;
    } finally {
      await source.close();
      await target.close();
    }
  });

program.command('init')
  .description("create a new network in the data directory: the operator's key, a validator key and the genesis")
  .requiredOption('--network <id>', 'network id, e.g. acme-bank-prod')
  .requiredOption('--legal-name <name>', "the operator's legal name")
  .requiredOption('--lei <lei>', "the operator's LEI")
  .requiredOption('--jurisdiction <cc>', 'ISO 3166 country code')
  .option('--operator-id <id>', "the operator's participant id", 'operator')
  .action((o: { network: string; legalName: string; lei: string; jurisdiction: string; operatorId: string }) => {
    const { dataDir } = globals();
    const genesis = initNetwork(dataDir, { network: o.network, operatorId: o.operatorId, legalName: o.legalName, lei: o.lei, jurisdiction: o.jurisdiction });
    print(globals(), genesis, () => `network ${genesis.network} created in ${dataDir}; start it with: depositum --data-dir ${dataDir} start`);
  });

program.parseAsync().catch((error: unknown) => {
  if (error instanceof DepositumApiError) {
    console.error(`error: ${error.code}: ${error.message}${error.param === undefined ? '' : ` (${error.param})`}`);
    process.exitCode = EXIT.rejected;
  } else if (error instanceof CliError) {
    console.error(`error: ${error.message}`);
    process.exitCode = error.exitCode;
  } else {
    const cause = (error as { cause?: { code?: string } }).cause;
    console.error(cause?.code === 'ECONNREFUSED' ? `error: no node answers at ${nodeUrl(globals())}: start one with "npm start"` : `error: ${(error as Error).message}`);
    process.exitCode = EXIT.usage;
  }
});
