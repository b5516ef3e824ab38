import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allowanceKey, applyTransaction, beginBlock, checkInvariants, type Operation } from '../../src/core/index.js';
import { fundedFixture, SALT, T0, type CoreFixture } from './fixture.js';
import { dualControl, makerChecker, pay, policy } from './policy-cases.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const committed = { status: 'committed' };
const available = (f: CoreFixture, account: string) => f.state.accounts.get(account)!.availableMinor;
const approve = (proposal = 'proposal-1'): Operation => ({ type: 'approve_proposal', proposal });

let sequence = 0;
/** Applies a transaction (committing) and returns its events' types. */
function eventsOf(f: CoreFixture, signers: string[], operations: Operation[], atMs = T0 + 1000, atomic = true): string[] {
  sequence += 1;
  const body = { network: 'core-test', id: `p-${sequence}`, sender: signers[0]!, validUntilMs: atMs + 60_000, operations, salt: SALT, ...(!atomic && { atomic: false }) };
  const applied = applyTransaction(f.state, { body, signers: new Set(signers) }, atMs);
  assert.equal(applied.result.status, 'committed', JSON.stringify(applied.explanations));
  return applied.events.map(({ event }) => event.type);
}

describe('account policies (maker-checker)', () => {
  it('holds a payment above the threshold back until the treasurer approves it, then pays it as the maker sent it', () => {
    const f = fundedFixture();
    f.apply(...policy);
    assert.deepEqual(eventsOf(f, ['acme'], [pay('600.00')]), ['approval_requested']);
    assert.equal(available(f, 'acme-usd'), 100_000n, 'nothing moved while it waits');
    const proposal = f.state.proposals.get('proposal-1')!;
    assert.equal(proposal.status, 'pending');
    assert.deepEqual(proposal.requirements.map(({ rule, approvers, required }) => ({ rule, approvers, required })), [{ rule: 'account acme-usd', approvers: ['acme-treasurer'], required: 1 }]);
    assert.deepEqual(eventsOf(f, ['acme-treasurer'], [approve()]), ['proposal_approved', 'transferred', 'proposal_executed']);
    assert.equal(available(f, 'acme-usd'), 40_000n);
    assert.equal(available(f, 'globex-usd'), 160_000n);
    assert.equal(f.state.proposals.get('proposal-1')?.status, 'executed');
    assert.deepEqual(checkInvariants(f.state), []);
  });

  it('pays at once below the threshold, and at once when the treasurer co-signs', () => {
    const f = fundedFixture();
    f.apply(...policy);
    assert.deepEqual(eventsOf(f, ['acme'], [pay('500.00')]), ['transferred']);
    assert.deepEqual(eventsOf(f, ['acme', 'acme-treasurer'], [pay('300.00')]), ['transferred']);
    assert.equal(available(f, 'acme-usd'), 20_000n);
    assert.equal(f.state.proposals.size, 0);
  });

  it('holds a whole atomic transaction back when one of its operations needs approval; in a bulk file only that one', () => {
    const f = fundedFixture();
    f.apply(...policy);
    assert.deepEqual(eventsOf(f, ['acme'], [pay('10.00'), pay('600.00', 'initech-usd')]), ['approval_requested']);
    assert.equal(available(f, 'acme-usd'), 100_000n);
    assert.deepEqual(eventsOf(f, ['acme'], [pay('10.00'), pay('600.00', 'initech-usd')], T0 + 1000, false), ['transferred', 'approval_requested']);
    assert.equal(available(f, 'acme-usd'), 99_000n);
    assert.deepEqual([...f.state.proposals.keys()], ['proposal-1', 'proposal-2']);
    assert.equal(f.state.proposals.get('proposal-2')!.operations.length, 1);
  });

  it('lets a proposal lapse at the end of its window; the maker may withdraw one, an approver reject it', () => {
    const f = fundedFixture();
    f.apply('acme', [makerChecker({ approvalWindowMs: HOUR })]);
    f.apply('acme', [pay('600.00')]);
    assert.deepEqual(beginBlock(f.state, T0 + 1000 + HOUR).map(({ event }) => event.type), ['proposal_expired']);
    assert.deepEqual(f.apply('acme-treasurer', [approve()], T0 + 2 * HOUR), { status: 'rejected', code: 'proposal_closed', operation: 0 });
    f.apply('acme', [pay('700.00')], T0 + 2 * HOUR);
    assert.deepEqual(eventsOf(f, ['acme'], [{ type: 'reject_proposal', proposal: 'proposal-2' }], T0 + 2 * HOUR), ['proposal_rejected']);
    assert.equal(f.state.proposals.get('proposal-2')?.rejectedBy, 'acme');
    assert.equal(available(f, 'acme-usd'), 100_000n);
  });

  it('needs the approvers to change or remove a policy in force', () => {
    const f = fundedFixture();
    f.apply(...policy);
    assert.deepEqual(eventsOf(f, ['acme'], [makerChecker({ approvalAbove: '1000000.00' })]), ['approval_requested']);
    assert.equal(f.state.account_policies.get('acme-usd')?.approvalAboveMinor, 50_000n);
    assert.deepEqual(eventsOf(f, ['acme-treasurer'], [approve()]), ['proposal_approved', 'account_policy_set', 'proposal_executed']);
    assert.equal(f.state.account_policies.get('acme-usd')?.approvalAboveMinor, 100_000_000n);
    assert.deepEqual(eventsOf(f, ['acme', 'acme-treasurer'], [{ type: 'remove_account_policy', account: 'acme-usd' }]), ['account_policy_removed']);
    assert.deepEqual(eventsOf(f, ['acme'], [pay('900.00')]), ['transferred']);
  });

  it('counts the daily limit in UTC days of block time, and a held-back payment only once it runs', () => {
    const f = fundedFixture();
    const midnight = T0 - (T0 % DAY) + DAY;
    f.apply('acme', [makerChecker({ dailyLimit: '800.00' })]);
    f.apply('acme', [pay('600.00')], midnight - HOUR);
    assert.deepEqual(f.apply('acme', [pay('300.00')], midnight - HOUR), committed, 'the held-back 600.00 has not counted yet');
    assert.deepEqual(f.apply('acme-treasurer', [approve()], midnight - HOUR), { status: 'rejected', code: 'proposal_failed', operation: 0 });
    assert.deepEqual(f.apply('acme-treasurer', [approve()], midnight), committed, 'a new day');
    assert.equal(available(f, 'acme-usd'), 10_000n);
    assert.equal(f.state.account_policies.get('acme-usd')?.spentMinor, 60_000n);
  });

  it('governs every way money leaves the account: holds, conditional payments, settlement legs, redemptions', () => {
    const f = fundedFixture();
    f.apply(...policy);
    const big = '600.00';
    const ops: [string[], Operation][] = [
      [['acme'], { type: 'hold', hold: 'h', from: 'acme-usd', to: 'globex-usd', amount: big, expiresAtMs: T0 + HOUR }],
      [['acme'], { type: 'conditional_payment', payment: 'c', from: 'acme-usd', to: 'globex-usd', amount: big, deadlineMs: T0 + HOUR, tranches: [{ tranche: 'all', amount: big }] }],
      [['acme', 'first-meridian'], { type: 'redeem', account: 'acme-usd', amount: big, payoutReference: 'PAY-1' }],
    ];
    for (const [signers, op] of ops) assert.deepEqual(eventsOf(f, signers, [op]), ['approval_requested'], op.type);
    f.apply('acme', [{ type: 'propose_settlement', settlement: 's', legs: [{ from: 'acme-usd', to: 'globex-usd', amount: big }, { from: 'globex-usd', to: 'acme-usd', amount: '1.00' }], deadlineMs: T0 + HOUR }]);
    assert.deepEqual(eventsOf(f, ['acme'], [{ type: 'allocate_settlement', settlement: 's', leg: 0 }]), ['approval_requested']);
    assert.equal(f.state.proposals.size, 4);
    assert.deepEqual(eventsOf(f, ['acme-treasurer'], [approve('proposal-2')]), ['proposal_approved', 'conditional_payment_created', 'proposal_executed']);
    assert.equal(f.state.accounts.get('acme-usd')?.heldMinor, 60_000n);
  });
});

describe('dual control', () => {
  it("holds the operator's forced transfers, unfreezing and role changes for its duty officer", () => {
    const f = fundedFixture();
    f.apply(...dualControl);
    f.apply('operator', [{ type: 'freeze_account', account: 'acme-usd' }]);
    assert.deepEqual(eventsOf(f, ['operator'], [{ type: 'unfreeze_account', account: 'acme-usd' }]), ['approval_requested']);
    assert.equal(f.state.accounts.get('acme-usd')?.frozen, true);
    assert.deepEqual(eventsOf(f, ['duty-officer'], [approve()]), ['proposal_approved', 'account_unfrozen', 'proposal_executed']);
    assert.equal(f.state.accounts.get('acme-usd')?.frozen, false);
    assert.deepEqual(eventsOf(f, ['operator', 'first-meridian'], [{ type: 'force_transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00', reason: 'court_order', legalReference: 'SDNY 1:26-cv-01234' }]), ['approval_requested']);
    assert.deepEqual(eventsOf(f, ['operator'], [{ type: 'update_participant', participant: 'acme', changes: { roles: ['client', 'issuer'] } }]), ['approval_requested']);
    assert.deepEqual(eventsOf(f, ['operator'], [{ type: 'update_participant', participant: 'acme', changes: { legalName: 'Acme Logistics Incorporated' } }]), ['participant_updated'], 'not a role change');
    // The proposal names who proposed and who approved: the audit trail is the chain.
    assert.deepEqual(f.state.proposals.get('proposal-1')?.approvals, ['duty-officer']);
    assert.equal(f.state.proposals.get('proposal-1')?.proposer, 'operator');
  });

  it("holds an issuer's mint above its threshold, and only above", () => {
    const f = fundedFixture();
    f.apply('first-meridian', [{ type: 'set_control_policy', approvers: ['duty-officer'], approvalsRequired: 1, acts: ['issue'], issueThresholds: [{ asset: 'usd-fmb', above: '10000.00' }] }]);
    assert.deepEqual(eventsOf(f, ['first-meridian'], [{ type: 'issue', account: 'acme-usd', amount: '10000.00', depositReference: 'D-1' }]), ['issued']);
    assert.deepEqual(eventsOf(f, ['first-meridian'], [{ type: 'issue', account: 'acme-usd', amount: '10000.01', depositReference: 'D-2' }]), ['approval_requested']);
    assert.deepEqual(eventsOf(f, ['duty-officer'], [approve()]), ['proposal_approved', 'issued', 'proposal_executed']);
  });

  it("holds a minter's mint above its own threshold, and only above (a core-banking link's large deposits need a second officer)", () => {
    const f = fundedFixture();
    f.apply('banking', [{ type: 'set_control_policy', approvers: ['first-meridian'], approvalsRequired: 1, acts: ['issue'], issueThresholds: [{ asset: 'usd-fmb', above: '1000000.00' }] }]);
    assert.deepEqual(eventsOf(f, ['banking'], [{ type: 'issue', account: 'acme-usd', amount: '1000000.00', depositReference: 'D-1' }]), ['issued']);
    assert.deepEqual(eventsOf(f, ['banking'], [{ type: 'issue', account: 'acme-usd', amount: '1000000.01', depositReference: 'D-2' }]), ['approval_requested']);
    assert.deepEqual(eventsOf(f, ['first-meridian'], [approve()]), ['proposal_approved', 'issued', 'proposal_executed']);
    // The approved mint spends the minter's allowance, as if it had minted it alone.
    assert.equal(f.state.allowances.get(allowanceKey('usd-fmb', 'banking'))?.remainingMinor, 100_000_000_00n - 2_000_000_01n);
  });

  it('needs its approvers to change it', () => {
    const f = fundedFixture();
    f.apply(...dualControl);
    assert.deepEqual(eventsOf(f, ['operator'], [{ type: 'set_control_policy', approvers: ['duty-officer'], approvalsRequired: 1, acts: [] }]), ['approval_requested']);
    assert.deepEqual(f.state.control_policies.get('operator')?.acts, ['force_transfer', 'unfreeze_account', 'change_roles']);
  });
});

describe('account policies: properties', () => {
  const amount = fc.integer({ min: 1, max: 90_000 }).map((m) => `${Math.floor(m / 100)}.${String(m % 100).padStart(2, '0')}`);
  type Step = { signers: string[]; op: Operation } | { advanceMs: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ amount, to: fc.constantFrom('globex-usd', 'initech-usd') }).map(({ amount, to }): Step => ({ signers: ['acme'], op: pay(amount, to) })),
    fc.record({ amount, cosigned: fc.boolean() }).map(({ amount, cosigned }): Step => ({ signers: cosigned ? ['acme', 'acme-treasurer'] : ['acme'], op: pay(amount) })),
    fc.record({ n: fc.integer({ min: 1, max: 6 }), by: fc.constantFrom('acme-treasurer', 'initech', 'acme', 'globex') }).map(({ n, by }): Step => ({ signers: [by], op: approve(`proposal-${n}`) })),
    fc.record({ n: fc.integer({ min: 1, max: 6 }), by: fc.constantFrom('acme-treasurer', 'acme') }).map(({ n, by }): Step => ({ signers: [by], op: { type: 'reject_proposal', proposal: `proposal-${n}` } })),
    fc.integer({ min: 1, max: 10 }).map((hours): Step => ({ advanceMs: hours * HOUR })),
  );

  it('never lets more than the daily limit leave the account in a UTC day, nor a payment past the limit, nor one above the threshold without an approver', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
      const f = fundedFixture();
      f.apply('acme', [makerChecker({ approvers: ['acme-treasurer', 'initech'], approvalsRequired: 1, dailyLimit: '800.00', perPaymentLimit: '700.00', approvalWindowMs: 5 * HOUR })]);
      const outByDay = new Map<number, bigint>();
      let now = T0 + 1000;
      for (const s of steps) {
        const before = available(f, 'acme-usd');
        if ('advanceMs' in s) beginBlock(f.state, (now += s.advanceMs));
        else {
          const result = f.apply(s.signers, [s.op], now);
          const spent = before - available(f, 'acme-usd');
          if (spent > 0n) {
            assert.ok(spent <= 70_000n, `a single payment of ${spent} passed the per-payment limit`);
            const approved = s.op.type === 'approve_proposal' || s.signers.includes('acme-treasurer');
            assert.ok(spent <= 50_000n || approved, `${spent} left without an approver (${JSON.stringify(s)} → ${JSON.stringify(result)})`);
            const day = now - (now % DAY);
            outByDay.set(day, (outByDay.get(day) ?? 0n) + spent);
          }
        }
        assert.deepEqual(checkInvariants(f.state), []);
      }
      for (const [day, out] of outByDay) assert.ok(out <= 80_000n, `${out} left on day ${day}`);
    }), { numRuns: 200 });
  });
});

describe('proposals that approve proposals', () => {
  it('are never made: an approval in a transaction a policy holds back refuses the transaction', () => {
    const f = fundedFixture();
    f.apply('acme', [makerChecker({ approvers: ['globex'] })]);
    f.apply('globex', [{ type: 'set_account_policy', account: 'globex-usd', approvers: ['acme'], approvalsRequired: 1, approvalAbove: '1.00' }]);
    f.apply('acme', [pay('600.00')]);
    // Globex's payment would be held back, and with it an approval of Acme's proposal-1.
    assert.deepEqual(f.apply('globex', [{ type: 'transfer', from: 'globex-usd', to: 'acme-usd', amount: '5.00' }, approve('proposal-1')]), { status: 'rejected', code: 'not_authorized', operation: 1 });
    assert.equal(f.state.proposals.size, 1);
    assert.deepEqual(f.apply('globex', [approve('proposal-1')]), committed, 'on its own, it runs');
  });
});
