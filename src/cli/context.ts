import type { Command } from 'commander';
import type { Operation } from '../core/operations/index.js';
import type { DepositumClient, Simulation, Submission, SubmitOptions } from '../sdk/index.js';
import { groupDigits, isoTime, table } from './format.js';

/**
 * What every command shares: the global options, a client acting as `--as`, submitting
 * and printing. Heavy modules (the SDK, keys, the node) are imported when a command runs,
 * never to print help.
 */

/** Exit codes: 0 done, 1 the ledger or the node said no, 2 bad usage or a local problem, 3 verification failed. */
export const EXIT = { rejected: 1, usage: 2, invalid: 3 } as const;

/** How long a command keeps retrying a node that does not answer (the SDK's default is 15 s). */
const CLIENT_RETRY_MS = 5000;

export interface GlobalOptions { dataDir: string; url?: string; as: string; json: boolean; txId?: string; simulate?: boolean }

/**
 * A failure the CLI reports itself, in the API's error shape under --json: `type` is
 * `usage_error` for what the user typed, `local_error` for the data directory or the
 * network, `rejection` for what the ledger refused.
 */
export class CliError extends Error {
  constructor(message: string, readonly exitCode: number, readonly code = 'invalid_argument', readonly type = 'usage_error', readonly param?: string) {
    super(message);
    this.name = 'CliError';
  }
}

export class Cli {
  constructor(private readonly program: Command) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  /** The node to talk to: --url, else the one the local node wrote to <data-dir>/node.json, else the default port. */
  async nodeUrls(): Promise<string[]> {
    const { url, dataDir } = this.options;
    if (url !== undefined) return url.split(',');
    const [{ existsSync, readFileSync }, { paths }] = await Promise.all([import('node:fs'), import('../node/data-dir.js')]);
    const file = paths(dataDir).node;
    return [existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { url: string }).url : 'http://127.0.0.1:8080'];
  }

  async signer(participant?: string) {
    const { KeyStore } = await import('../node/keystore.js');
    const name = participant ?? this.options.as;
    const keys = KeyStore.at(this.options.dataDir);
    if (!keys.names().includes(name)) {
      throw new CliError(`no key named ${name} in ${keys.directory} (known: ${keys.names().join(', ') || 'none'}); pick one with --as`, EXIT.usage, 'unknown_key', 'local_error', '--as');
    }
    return keys.load(name);
  }

  async client(participant?: string): Promise<DepositumClient> {
    const [{ DepositumClient: Client }, url, signer] = await Promise.all([import('../sdk/index.js'), this.nodeUrls(), this.signer(participant)]);
    // A node restarting or failing over is waited for a little; a node that is not there is reported soon.
    return new Client({ url, signer, retryMs: CLIENT_RETRY_MS });
  }

  /**
   * Checks an operation against the schema the API will apply, before anything is signed,
   * so that a bad value is a usage error naming the option it came from (`options` maps
   * the operation's fields to them), not a refusal from the node.
   */
  async checkOperation(op: Operation, options: Readonly<Record<string, string>>): Promise<void> {
    const [{ operationDefinition }, { assertMatches }] = await Promise.all([import('../core/operations/index.js'), import('../node/schema-check.js')]);
    const definition = operationDefinition(op.type);
    if (definition === undefined) throw new Error(`invariant: no operation ${op.type}`);
    await this.asUsage(() => assertMatches(definition.schema, op), options);
  }

  /** Checks a transaction's reference and memo against the schema the API applies. */
  async checkTransactionFields(fields: { reference?: string | undefined; memo?: string | undefined }): Promise<void> {
    const [{ TransactionBodySchema }, { assertMatches }] = await Promise.all([import('../core/transaction.js'), import('../node/schema-check.js')]);
    const { reference, memo } = TransactionBodySchema.properties;
    if (fields.reference !== undefined) await this.asUsage(() => assertMatches(reference, fields.reference, 'reference'), { reference: '--reference' });
    if (fields.memo !== undefined) await this.asUsage(() => assertMatches(memo, fields.memo, 'memo'), { memo: '--memo' });
  }

  /** Runs `check`; a value it refuses (the ledger's invalid_request) becomes a usage error naming the option it came from. */
  async asUsage<T>(check: () => T, options: Readonly<Record<string, string>>): Promise<T> {
    const { LedgerError } = await import('../node/errors.js');
    try {
      return check();
    } catch (error) {
      if (!(error instanceof LedgerError) || error.kind !== 'invalid') throw error;
      const option = error.param === undefined ? undefined : options[error.param];
      const message = option === undefined ? error.message : `${option}: ${error.message.replace(`${error.param} `, '')}`;
      throw new CliError(message, EXIT.usage, error.code, 'usage_error', option ?? error.param);
    }
  }

  /** Whether --simulate was given: nothing is signed or sent. */
  simulating(): boolean {
    return this.options.simulate === true;
  }

  /** One JSON document on stdout with --json, else text for people. */
  print(value: unknown, human: () => string): void {
    console.log(this.options.json ? JSON.stringify(value, null, 2) : human());
  }

  /**
   * Signs as --as (plus cosigners) and submits. A rejection recorded in a block exits 1,
   * with why (the field and the value) and, when the command knows one, a hint. With
   * --simulate nothing is signed or sent: the node runs the operations as --as would send
   * them and says what would happen (null is returned).
   */
  async submit(operations: Operation[], options: SubmitOptions & { cosign?: readonly string[]; hint?: (submission: Submission) => Promise<string | null>; days?: number } = {}): Promise<Submission | null> {
    const { cosign = [], hint, days, ...rest } = options;
    if (this.options.simulate === true) {
      const simulation = await (await this.client()).simulate(operations, { ...(rest.atomic === false && { atomic: false }), ...(days !== undefined && { days }) });
      this.print(simulation, () => describeSimulation(simulation, cosign));
      if (simulation.result.status === 'rejected') process.exitCode = EXIT.rejected;
      return null;
    }
    const { txId } = this.options;
    const [client, cosigners] = await Promise.all([this.client(), Promise.all(cosign.map((name) => this.signer(name)))]);
    const outcome = await client.submit(operations, { ...rest, ...(txId !== undefined && { id: txId }), cosigners });
    const hinted = this.options.json ? null : ((await hint?.(outcome)) ?? null);
    this.print(outcome, () => describeSubmission(outcome, hinted));
    if (outcome.status === 'sealed' && outcome.receipt.result.status === 'rejected') process.exitCode = EXIT.rejected;
    return outcome;
  }
}

function describeSimulation(simulation: Simulation, cosign: readonly string[]): string {
  const { result } = simulation;
  const lines = [result.status === 'committed' ? 'simulated: would commit (nothing was signed or recorded)' : `simulated: would be rejected: ${result.code ?? ''}${result.operation === null || result.operation === undefined ? '' : ` (operation ${result.operation})`}`];
  lines.push(...simulation.explanations.map((e) => `  ${e.code}: ${e.message}`));
  lines.push(...simulation.events.map((e) => `  ${e.type}${e.operation === null ? '' : ` (operation ${e.operation})`}: ${JSON.stringify(e.data)}`));
  if (simulation.balances.length > 0) lines.push(table(['account', 'available after', 'held after'], simulation.balances.map((b) => [b.account, groupDigits(b.available), groupDigits(b.held)]), { right: new Set([1, 2]) }));
  if (simulation.schedule !== undefined) lines.push(...describeSchedule(simulation.schedule));
  lines.push(...describeConflicts(simulation.conflicts));
  if (cosign.length > 0) lines.push(`note: simulated under your own signature only, without ${cosign.join(', ')}`);
  return lines.join('\n');
}

/** The conflicts among standing instructions a simulation or the conflict check found, one line each. */
export function describeConflicts(conflicts: Simulation['conflicts']): string[] {
  return (conflicts ?? []).map((c) => `conflict (${c.kind}): ${c.message}`);
}

/** Your standing instructions played forward: each run, then your balances after the last. */
function describeSchedule(schedule: NonNullable<Simulation['schedule']>): string[] {
  const moved = (events: readonly { type: string; data: Record<string, unknown> }[]) => {
    const ran = events.find((e) => e.type === 'instruction_executed' || e.type === 'instruction_failed');
    if (ran === undefined) return 'nothing to move';
    return ran.type === 'instruction_executed' ? `moves ${groupDigits(String(ran.data['amount']))}` : `fails: ${String(ran.data['code'])}: ${String(ran.data['reason'])}`;
  };
  const runs = schedule.runs.map((run) => [isoTime(run.atMs), run.instruction, moved(run.events)]);
  return [
    `standing instructions until ${isoTime(schedule.untilMs)}: ${schedule.runs.length} run(s)${schedule.complete ? '' : ' (stopped at the simulation\'s bound of runs)'}`,
    ...(runs.length > 0 ? [table(['at', 'instruction', 'what it does'], runs)] : []),
    ...(schedule.balances.length > 0 ? [table(['account', 'available after', 'held after'], schedule.balances.map((b) => [b.account, groupDigits(b.available), groupDigits(b.held)]), { right: new Set([1, 2]) })] : []),
  ];
}

function describeSubmission(outcome: Submission, hint: string | null): string {
  if (outcome.status !== 'sealed') return `submitted ${outcome.hash} (pending)`;
  const { receipt } = outcome;
  const { result } = receipt;
  const where = `block ${receipt.block.header.height} (transaction ${receipt.index}, ${receipt.transaction.slice(0, 12)})`;
  const why = (outcome.explanations ?? []).map((explanation) => `  ${explanation.code}: ${explanation.message}`);
  const lines = result.status === 'committed'
    ? [`committed in ${where}`, ...(result.rejected === undefined || result.rejected.length === 0 ? [] : [`${result.rejected.length} operation(s) failed on their own:`, ...why]),
      ...(outcome.heldBack ?? []).map((proposal) => `held back by a policy: waits for approval as ${proposal} (depositum proposal show ${proposal})`)]
    : [`rejected: ${result.code}${result.operation === null ? '' : ` (operation ${result.operation})`}, recorded in ${where}`, ...why];
  if (hint !== null) lines.push(`hint: ${hint}`);
  return lines.join('\n');
}
