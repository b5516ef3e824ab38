import { newSalt, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import { INSTRUCTION_RUNS_PER_BLOCK_MAX, type Operation } from '../../src/core/index.js';
import type { CommittedBlock } from '../../src/node/committed-block.js';
import { correctnessProblem } from '../check.js';
import { drive } from '../drive.js';
import { admitted } from '../network.js';
import { summarize, type Figures } from '../stats.js';
import { withLedger, type InProcessOptions } from './inprocess.js';

/** Instructions set up per account: the core allows 16. */
const PER_ACCOUNT = 10;
const DAY_MS = 86_400_000;

/**
 * `payments` standing instructions (10 per account), all due at the same moment: the next
 * 00:00 UTC. They are set up, then the ledger's clock is moved to that moment and a block
 * is cut; the figures are from then until the last has run: how many blocks it took, and
 * the longest block (the scheduler runs at most INSTRUCTION_RUNS_PER_BLOCK_MAX a block).
 */
export async function instructionsScenario(options: InProcessOptions): Promise<Figures> {
  let offsetMs = 0;
  return withLedger(options.accounts, Math.min(100, options.accounts), async (bench, ledger) => {
    const count = Math.min(options.payments, options.accounts * PER_ACCOUNT);
    const validUntilMs = Date.now() + 3_600_000;
    const dueAtMs = Date.now() - (Date.now() % DAY_MS) + DAY_MS;
    const envelopes: Promise<TransactionEnvelope>[] = [];
    for (let a = 0; a * PER_ACCOUNT < count; a += 1) {
      const account = bench.accounts[a]!;
      const owner = bench.owners[account.owner]!;
      const operations: Operation[] = Array.from({ length: Math.min(PER_ACCOUNT, count - a * PER_ACCOUNT) }, (_, k) => ({
        type: 'set_standing_instruction', instruction: `si-${a}-${k}`, kind: 'pay', from: account.id, to: bench.accounts[(a + 1 + ((k * 997) % (bench.accounts.length - 1))) % bench.accounts.length]!.id, amount: '0.01',
        schedule: { rrule: 'FREQ=DAILY;BYHOUR=0;BYMINUTE=0;BYSECOND=0' },
      }));
      envelopes.push(signTransaction({ network: bench.network.genesis.network, id: `set-${a}`, sender: owner.participant, validUntilMs, salt: newSalt(), operations }, [owner]));
    }
    const set = await drive(ledger, (await Promise.all(envelopes)).map((envelope) => admitted(ledger, envelope)), options.inFlight);
    const refused = [...set.acknowledged.values()].find((result) => result.status !== 'committed');
    if (refused !== undefined) throw new Error(`setting the instructions up failed: ${JSON.stringify(refused)}`);
    const blocks: { seconds: number; runs: number }[] = [];
    let ran = 0;
    const done = new Promise<void>((resolve) => {
      ledger.on('block', (block: CommittedBlock, seconds: number) => {
        const runs = (block.records?.events ?? []).filter((event) => event.index === 0 && (event.type === 'instruction_executed' || event.type === 'instruction_failed')).length;
        if (runs === 0) return;
        blocks.push({ seconds, runs });
        ran += runs;
        if (ran >= count) resolve();
      });
    });
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // The clock reaches the moment they are all due; a payment wakes the sequencer, which then cuts blocks until none is due.
    offsetMs = dueAtMs - Date.now() + 1;
    const [first] = bench.accounts;
    const wake = await signTransaction({ network: bench.network.genesis.network, id: 'wake', sender: bench.owners[first!.owner]!.participant, validUntilMs: dueAtMs + 3_600_000, salt: newSalt(), operations: [{ type: 'transfer', from: first!.id, to: bench.accounts[1]!.id, amount: '0.01' }] }, [bench.owners[first!.owner]!]);
    const woken = ledger.sequencer.enqueue(admitted(ledger, wake));
    await done;
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuStarted);
    await woken;
    let once = 0;
    for (const instruction of ledger.state.standing_instructions.values()) if (instruction.runs === 1) once += 1;
    const problem = (await correctnessProblem(ledger.genesis, ledger.store, set.acknowledged)) ?? (once === count ? null : `${count - once} of ${count} instructions did not run exactly once`);
    await ledger.close();
    const longest = Math.max(...blocks.map((block) => block.seconds));
    return summarize({
      scenario: 'instructions', ops: count, seconds, latenciesMs: new Float64Array(blocks.map((block) => block.seconds * 1000)), cpuS: (cpu.user + cpu.system) / 1e6,
      ok: problem === null, problem, target: `all run within a few blocks of ≤ ${INSTRUCTION_RUNS_PER_BLOCK_MAX} each`, met: () => blocks.every((block) => block.runs <= INSTRUCTION_RUNS_PER_BLOCK_MAX),
      note: `${count} standing payments due at one moment ran in ${blocks.length} blocks (${blocks.map((block) => block.runs).join(', ')} runs); longest block ${Math.round(longest * 1000)} ms; latency columns are per block`,
    });
  }, { kind: 'sqlite' }, () => Date.now() + offsetMs);
}
