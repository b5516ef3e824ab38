import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyKeeping, applyTransaction, beginBlock, checkInvariants, Draft, instructionConflicts, INSTRUCTION_RUNS_PER_BLOCK_MAX, nextDueMs, simulateInstructions, TRIGGER_DEPTH_MAX, type AppliedEvent, type Operation } from '../../src/core/index.js';
import { fundedFixture, SALT, T0, type CoreFixture } from './fixture.js';
import { monthly } from './instruction-cases.js';
import { makerChecker } from './policy-cases.js';

const MINUTE = 60_000;
const available = (f: CoreFixture, account: string) => f.state.accounts.get(account)!.availableMinor;
const types = (events: readonly AppliedEvent[]) => events.map(({ event }) => event.type);
const open = (account: string, owner = 'acme'): Operation => ({ type: 'open_account', account, owner, asset: 'usd-fmb' });
const pay = (from: string, to: string, amount: string): Operation => ({ type: 'transfer', from, to, amount });
const sweep = (instruction: string, from: string, to: string, keep: string): Operation => ({ type: 'set_standing_instruction', instruction, kind: 'sweep', from, to, keep, onPayment: true });
const topUp = (instruction: string, from: string, to: string, floor: string, cap: string): Operation => ({ type: 'set_standing_instruction', instruction, kind: 'top_up', from, to, floor, cap, onPayment: true });

let sequence = 0;
/** Applies a transaction that must commit, with an optional reference; returns its events' types. */
function send(f: CoreFixture, signers: string | string[], operations: Operation[], atMs: number, reference?: string): string[] {
  sequence += 1;
  const names = Array.isArray(signers) ? signers : [signers];
  const body = { network: 'core-test', id: `i-${sequence}`, sender: names[0]!, validUntilMs: atMs + MINUTE, operations, salt: SALT, ...(reference !== undefined && { reference }) };
  const applied = applyTransaction(f.state, { body, signers: new Set(names) }, atMs);
  assert.equal(applied.result.status, 'committed', JSON.stringify(applied.explanations));
  return applied.events.map(({ event }) => event.type);
}

/** The demo with acme's reserve account opened. */
function withReserve(): CoreFixture {
  const f = fundedFixture();
  send(f, 'operator', [open('acme-reserve')], T0 + 1000);
  return f;
}

describe('standing instructions', () => {
  it('pays on its calendar in its time zone, across a change of clocks, and says when it runs next', () => {
    const f = fundedFixture();
    send(f, 'acme', [monthly()], T0 + 1000);
    // 09:00 in London: 09:00 UTC in winter (1 February), 08:00 UTC in summer (1 July).
    const february = Date.UTC(2027, 1, 1, 9);
    assert.equal(f.state.standing_instructions.get('rent')!.nextRunAtMs, february);
    assert.deepEqual(types(beginBlock(f.state, february - 1)), [], 'not before its time');
    const events = beginBlock(f.state, february + 5);
    assert.deepEqual(types(events), ['instruction_executed', 'transferred']);
    assert.deepEqual(events[0]!.event.data, { instruction: 'rent', trigger: 'schedule', amount: '10.00', depth: 0, nextRunAtMs: Date.UTC(2027, 2, 1, 9) });
    assert.equal(available(f, 'globex-usd'), 101_000n);
    for (const month of [2, 3, 4, 5]) beginBlock(f.state, Date.UTC(2027, month, 1, 12));
    assert.equal(f.state.standing_instructions.get('rent')!.nextRunAtMs, Date.UTC(2027, 6, 1, 8), '09:00 BST is 08:00 UTC');
    assert.equal(available(f, 'globex-usd'), 105_000n);
    assert.equal(f.state.standing_instructions.get('rent')!.runs, 5);
  });

  it('finishes when its schedule ends, and a cancelled one never runs', () => {
    const f = fundedFixture();
    send(f, 'acme', [monthly({ schedule: { rrule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0;BYSECOND=0;UNTIL=20270116T100000Z' } }), monthly({ instruction: 'other' })], T0 + 1000);
    assert.deepEqual(types(beginBlock(f.state, Date.UTC(2027, 0, 16, 10))), ['instruction_executed', 'transferred', 'instruction_finished']);
    assert.equal(f.state.standing_instructions.get('rent')!.status, 'finished');
    send(f, 'acme', [{ type: 'cancel_standing_instruction', instruction: 'other' }], Date.UTC(2027, 0, 20));
    assert.deepEqual(types(beginBlock(f.state, Date.UTC(2027, 1, 2))), []);
    assert.equal(available(f, 'acme-usd'), 99_000n);
  });

  it('sweeps what lands above the balance to keep, at the next block and never inside the payer\'s transaction', () => {
    const f = withReserve();
    send(f, 'acme', [sweep('excess', 'acme-usd', 'acme-reserve', '600.00')], T0 + 2000);
    const paid = send(f, 'globex', [pay('globex-usd', 'acme-usd', '250.00')], T0 + 3000);
    assert.deepEqual(paid, ['transferred'], 'the payer\'s transaction shows only its payment');
    assert.equal(available(f, 'acme-usd'), 125_000n, 'nothing swept yet');
    assert.equal(nextDueMs(f.state), T0 + 3000, 'due at once: the sequencer cuts the next block for it');
    const events = beginBlock(f.state, T0 + 3500);
    assert.deepEqual(types(events), ['instruction_executed', 'transferred']);
    assert.equal((events[0]!.event.data as { trigger: string }).trigger, 'payment');
    assert.deepEqual(events[0]!.event.participants, ['acme']);
    assert.equal(available(f, 'acme-usd'), 60_000n);
    assert.equal(available(f, 'acme-reserve'), 65_000n);
    assert.deepEqual(types(beginBlock(f.state, T0 + 4000)), [], 'at what it keeps, nothing arms it again');
  });

  it('tops an account up below its floor from its funding account, at most the cap at a time', () => {
    const f = withReserve();
    send(f, 'acme', [pay('acme-usd', 'acme-reserve', '900.00'), topUp('floor', 'acme-reserve', 'acme-usd', '300.00', '150.00')], T0 + 2000);
    send(f, 'acme', [pay('acme-usd', 'globex-usd', '50.00')], T0 + 3000);
    assert.deepEqual(types(beginBlock(f.state, T0 + 3500)), ['instruction_executed', 'transferred']);
    assert.equal(available(f, 'acme-usd'), 20_000n, '50.00 + the cap of 150.00');
    assert.equal(available(f, 'acme-reserve'), 75_000n);
  });

  it('pays a share of a payment with its reference on, and ignores other payments', () => {
    const f = fundedFixture();
    send(f, 'acme', [{ type: 'set_standing_instruction', instruction: 'royalty', kind: 'split', from: 'acme-usd', to: 'initech-usd', reference: 'INV-2026-7', share: 1500 }], T0 + 1000);
    send(f, 'globex', [pay('globex-usd', 'acme-usd', '100.00')], T0 + 2000, 'INV-2026-8');
    send(f, 'globex', [pay('globex-usd', 'acme-usd', '200.00'), pay('globex-usd', 'acme-usd', '0.10')], T0 + 2000, 'INV-2026-7');
    const events = beginBlock(f.state, T0 + 3000);
    assert.deepEqual(types(events), ['instruction_executed', 'transferred']);
    assert.equal((events[0]!.event.data as { amount: string }).amount, '30.01', '15% of 200.00 and of 0.10, each rounded down');
    assert.equal(available(f, 'initech-usd'), 103_001n);
  });

  it('records a failed run with why, and suspends after its allowed failures in a row', () => {
    const f = fundedFixture();
    send(f, 'acme', [monthly({ amount: '5000.00', schedule: { rrule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0;BYSECOND=0' }, maxFailures: 2 })], T0 + 1000);
    const first = beginBlock(f.state, Date.UTC(2027, 0, 15, 10));
    assert.deepEqual(types(first), ['instruction_failed']);
    assert.deepEqual(first[0]!.event.data, { instruction: 'rent', code: 'insufficient_funds', reason: 'acme-usd has 1000.00 available', failures: 1, nextRunAtMs: Date.UTC(2027, 0, 16, 10) });
    assert.deepEqual(types(beginBlock(f.state, Date.UTC(2027, 0, 16, 10))), ['instruction_failed', 'instruction_suspended']);
    assert.equal(f.state.standing_instructions.get('rent')!.status, 'suspended');
    assert.deepEqual(types(beginBlock(f.state, Date.UTC(2027, 0, 20, 10))), [], 'a suspended instruction does not run');
    assert.equal(available(f, 'acme-usd'), 100_000n);
  });

  it('stops a loop of sweeps at the depth bound, moving no money out of thin air', () => {
    const f = withReserve();
    // Each account sweeps everything to the other, whenever a payment lands.
    send(f, 'acme', [sweep('there', 'acme-usd', 'acme-reserve', '0'), sweep('back', 'acme-reserve', 'acme-usd', '0')], T0 + 2000);
    send(f, 'globex', [pay('globex-usd', 'acme-usd', '1.00')], T0 + 3000);
    const events = beginBlock(f.state, T0 + 4000);
    const runs = types(events).filter((type) => type === 'instruction_executed').length;
    assert.equal(runs, TRIGGER_DEPTH_MAX, 'one run per level of the chain');
    assert.equal(types(events).at(-1), 'instruction_chain_stopped');
    assert.equal(nextDueMs(f.state), null, 'nothing left armed');
    assert.equal(available(f, 'acme-usd') + available(f, 'acme-reserve'), 100_100n);
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it(`runs at most ${INSTRUCTION_RUNS_PER_BLOCK_MAX} instructions a block; the rest run in the next, in order`, () => {
    const f = fundedFixture();
    const accounts = Math.ceil((INSTRUCTION_RUNS_PER_BLOCK_MAX + 10) / 16);
    send(f, 'operator', Array.from({ length: accounts }, (_, i) => open(`acme-${i}`)), T0 + 1000);
    const total = accounts * 16;
    for (let i = 0; i < accounts; i += 1) {
      send(f, 'acme', Array.from({ length: 16 }, (_, k) => monthly({ instruction: `due-${i}-${k}`, from: `acme-${i}` })), T0 + 1000);
    }
    const ran = (events: readonly AppliedEvent[]) => types(events).filter((type) => type === 'instruction_executed' || type === 'instruction_failed').length;
    const february = Date.UTC(2027, 1, 1, 9);
    assert.equal(ran(beginBlock(f.state, february)), INSTRUCTION_RUNS_PER_BLOCK_MAX);
    assert.equal(nextDueMs(f.state), february, 'the rest are still due');
    assert.equal(ran(beginBlock(f.state, february + 1)), total - INSTRUCTION_RUNS_PER_BLOCK_MAX);
    assert.equal(nextDueMs(f.state), Date.UTC(2027, 2, 1, 9));
  });

  it('under an account policy, needs the approvers to be set up, then runs without asking again, within the limits', () => {
    const f = fundedFixture();
    send(f, 'acme', [makerChecker({ perPaymentLimit: '650.00' })], T0 + 1000);
    assert.deepEqual(send(f, 'acme', [monthly({ amount: '600.00' })], T0 + 2000), ['approval_requested']);
    assert.equal(f.state.standing_instructions.get('rent'), undefined);
    send(f, 'acme-treasurer', [{ type: 'approve_proposal', proposal: 'proposal-1' }], T0 + 3000);
    assert.deepEqual(types(beginBlock(f.state, Date.UTC(2027, 1, 1, 9))), ['instruction_executed', 'transferred'], 'approved once, it runs without a proposal');
    assert.deepEqual(send(f, 'acme', [monthly({ instruction: 'small', amount: '250.00' })], T0 + 4000), ['standing_instruction_set'], 'under the threshold it needs no approval');
    // The policy tightens (its approver co-signs the change): the next run is held to the new limit.
    send(f, ['acme', 'acme-treasurer'], [makerChecker({ perPaymentLimit: '300.00' })], T0 + 5000);
    const march = beginBlock(f.state, Date.UTC(2027, 2, 1, 9));
    // The small one was due since February (made after that block), so it runs first.
    assert.deepEqual(types(march), ['instruction_executed', 'transferred', 'instruction_failed']);
    assert.equal((march[2]!.event.data as { code: string }).code, 'payment_limit_exceeded');
    assert.equal(f.state.proposals.size, 1, 'a run never becomes a proposal');
  });

  it('no set of instructions runs away: every chain settles within the depth bound, and money is conserved', () => {
    const ACCOUNTS = ['acme-usd', 'acme-a', 'acme-b', 'acme-c'];
    const instruction = fc.oneof(
      fc.record({ kind: fc.constant('sweep' as const), from: fc.constantFrom(...ACCOUNTS), to: fc.constantFrom(...ACCOUNTS), keep: fc.integer({ min: 0, max: 500 }) }),
      fc.record({ kind: fc.constant('top_up' as const), from: fc.constantFrom(...ACCOUNTS), to: fc.constantFrom(...ACCOUNTS), floor: fc.integer({ min: 1, max: 500 }), cap: fc.integer({ min: 1, max: 300 }) }),
      fc.record({ kind: fc.constant('split' as const), from: fc.constantFrom(...ACCOUNTS), to: fc.constantFrom(...ACCOUNTS), share: fc.integer({ min: 1, max: 10_000 }) }),
    );
    const payment = fc.record({ from: fc.constantFrom('globex-usd', ...ACCOUNTS), to: fc.constantFrom('globex-usd', ...ACCOUNTS), amount: fc.integer({ min: 1, max: 400 }) });
    fc.assert(fc.property(fc.array(instruction, { maxLength: 8 }), fc.array(payment, { minLength: 1, maxLength: 10 }), (instructions, payments) => {
      const f = fundedFixture();
      send(f, 'operator', ['acme-a', 'acme-b', 'acme-c'].map((account) => open(account)), T0 + 1000);
      let now = T0 + 2000;
      for (const [i, spec] of instructions.entries()) {
        if (spec.from === spec.to) continue;
        const op: Operation = spec.kind === 'sweep' ? sweep(`s${i}`, spec.from, spec.to, `${spec.keep}.00`)
          : spec.kind === 'top_up' ? topUp(`s${i}`, spec.from, spec.to, `${spec.floor}.00`, `${spec.cap}.00`)
            : { type: 'set_standing_instruction', instruction: `s${i}`, kind: 'split', from: spec.from, to: spec.to, reference: 'REF-1', share: spec.share };
        send(f, 'acme', [op], now);
      }
      const total = () => [...f.state.accounts.values()].reduce((sum, account) => sum + account.availableMinor + account.heldMinor, 0n);
      const start = total();
      for (const p of payments) {
        now += 1000;
        const owner = f.state.accounts.get(p.from)!.owner;
        sequence += 1;
        applyTransaction(f.state, { body: { network: 'core-test', id: `r-${sequence}`, sender: owner, validUntilMs: now + MINUTE, operations: [pay(p.from, p.to, `${p.amount}.00`)], salt: SALT, reference: 'REF-1' }, signers: new Set([owner]) }, now);
        // A chain runs its course within the block's start: nothing is due after it.
        beginBlock(f.state, (now += 1000));
        assert.equal(nextDueMs(f.state), null);
        assert.deepEqual(checkInvariants(f.state), []);
        assert.equal(total(), start);
      }
    }), { numRuns: 150 });
  });
});

/** The draft `operations` would leave, sent by `signer` at `atMs`, without keeping anything. */
function whatIf(f: CoreFixture, signer: string, operations: Operation[], atMs: number): Draft {
  const body = { network: 'core-test', id: `w-${(sequence += 1)}`, sender: signer, validUntilMs: atMs + MINUTE, operations, salt: SALT };
  const { applied, draft } = applyKeeping(f.state, { body, signers: new Set([signer]) }, atMs, true);
  assert.equal(applied.result.status, 'committed', JSON.stringify(applied.explanations));
  return draft!;
}

const MONTH_END = { rrule: 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;BYHOUR=17;BYMINUTE=0;BYSECOND=0', timeZone: 'America/New_York' };
const monthEndSweep = (instruction = 'month-end'): Operation => ({ type: 'set_standing_instruction', instruction, kind: 'sweep', from: 'acme-usd', to: 'acme-reserve', keep: '250.00', schedule: MONTH_END });

describe('simulating standing instructions, and their conflicts', () => {
  it('plays a month-end sweep over the next 90 days without changing anything', () => {
    const f = withReserve();
    const draft = whatIf(f, 'acme', [monthEndSweep()], T0 + 2000);
    const { runs, complete } = simulateInstructions(draft, 'acme', T0 + 2000, T0 + 90 * 86_400_000);
    assert.equal(complete, true);
    // The last business day of January, February and March 2027, at 17:00 in New York.
    assert.deepEqual(runs.map((run) => run.atMs), [Date.UTC(2027, 0, 29, 22), Date.UTC(2027, 1, 26, 22), Date.UTC(2027, 2, 31, 21)]);
    assert.deepEqual(runs.map((run) => types(run.events)), [['instruction_executed', 'transferred'], [], []], 'the first sweeps 750.00; then nothing is above 250.00');
    assert.equal(draft.get('accounts', 'acme-reserve')!.availableMinor, 75_000n);
    assert.equal(f.state.standing_instructions.size, 0, 'the state is untouched');
    assert.equal(available(f, 'acme-usd'), 100_000n);
  });

  it('names a cycle of sweeps and top-ups, an instruction that cannot run, and two competing for one balance', () => {
    const f = withReserve();
    send(f, 'operator', [open('acme-payroll'), { type: 'freeze_account', account: 'acme-payroll' }], T0 + 1500);
    const draft = whatIf(f, 'acme', [
      sweep('excess', 'acme-usd', 'acme-reserve', '600.00'),
      topUp('floor', 'acme-reserve', 'acme-usd', '800.00', '100.00'),
      monthly({ instruction: 'payroll', to: 'acme-payroll' }),
      monthEndSweep(),
      monthly({ instruction: 'rent', schedule: MONTH_END, amount: '900.00' }),
    ], T0 + 2000);
    const conflicts = instructionConflicts(draft, 'acme', T0 + 2000, T0 + 60 * 86_400_000);
    assert.deepEqual(conflicts.map(({ kind, instructions, code }) => ({ kind, instructions, code })), [
      { kind: 'cycle', instructions: ['excess', 'floor', 'month-end'], code: undefined },
      { kind: 'cannot_run', instructions: ['payroll'], code: 'account_frozen' },
      { kind: 'competing', instructions: ['month-end', 'rent'], code: undefined },
    ]);
    assert.equal(conflicts[2]!.atMs, Date.UTC(2027, 0, 29, 22));
    assert.match(conflicts[0]!.message, /acme-reserve → acme-usd|acme-usd → acme-reserve/);
  });

  it('finds the instructions a policy about to be set would stop', () => {
    const f = fundedFixture();
    send(f, 'acme', [monthly({ amount: '400.00' })], T0 + 1000);
    assert.deepEqual(instructionConflicts(new Draft(f.state), 'acme', T0 + 2000, T0 + 30 * 86_400_000), []);
    const draft = whatIf(f, 'acme', [makerChecker({ approvalAbove: '1000.00', counterparties: ['initech'] })], T0 + 2000);
    assert.deepEqual(instructionConflicts(draft, 'acme', T0 + 2000, T0 + 30 * 86_400_000).map(({ kind, code }) => ({ kind, code })), [{ kind: 'cannot_run', code: 'counterparty_not_allowed' }]);
  });
});
