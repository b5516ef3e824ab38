import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyTransaction, beginBlock, checkInvariants, dayOf, obligationKey, type Operation } from '../../src/core/index.js';
import { fundedFixture, SALT, T0, type CoreFixture } from './fixture.js';

const DAY = 86_400_000;
const available = (f: CoreFixture, account: string) => f.state.accounts.get(account)!.availableMinor;

let sequence = 0;
/** Applies a transaction at `atMs`; returns its result and its events' types. */
function send(f: CoreFixture, signers: string | string[], operations: Operation[], atMs = T0 + 1000) {
  sequence += 1;
  const names = Array.isArray(signers) ? signers : [signers];
  const body = { network: 'core-test', id: `p-${sequence}`, sender: names[0]!, validUntilMs: atMs + 60_000, operations, salt: SALT };
  const applied = applyTransaction(f.state, { body, signers: new Set(names) }, atMs);
  return { result: applied.result, types: applied.events.map(({ event }) => event.type), events: applied.events };
}

function committed(f: CoreFixture, signers: string | string[], operations: Operation[], atMs?: number): string[] {
  const sent = send(f, signers, operations, atMs);
  assert.deepEqual(sent.result, { status: 'committed' });
  return sent.types;
}

/** Both US dollar banks at par, each settlement account holding 10,000.00 of its own token, globex holding 1,000.00 of Straits' dollars. */
function atPar(caps: { fmb?: string; scb?: string } = {}): CoreFixture {
  const f = fundedFixture();
  committed(f, 'first-meridian', [
    { type: 'join_par_settlement', asset: 'usd-fmb', settlementAccount: 'first-meridian-usd', ...(caps.fmb !== undefined && { cap: caps.fmb }) },
    { type: 'issue', account: 'first-meridian-usd', amount: '10000.00', depositReference: 'LIQ-FMB' },
  ]);
  committed(f, 'straits-bank', [
    { type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'straits-bank-usd-scb', ...(caps.scb !== undefined && { cap: caps.scb }) },
    { type: 'issue', account: 'straits-bank-usd-scb', amount: '10000.00', depositReference: 'LIQ-SCB' },
    { type: 'issue', account: 'globex-usd-scb', amount: '1000.00', depositReference: 'DEP-GLOBEX' },
  ]);
  return f;
}

const pay = (from: string, to: string, amount: string): Operation => ({ type: 'transfer_at_par', from, to, amount });
const supply = (f: CoreFixture, asset: string) => f.state.assets.get(asset)!.issuedMinor - f.state.assets.get(asset)!.redeemedMinor;

describe('payments at par between two issuers of one currency', () => {
  it("moves the payer's token to its bank, pays the payee in its bank's token, and records what the banks owe each other", () => {
    const f = atPar();
    const types = committed(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '250.00')]);
    assert.deepEqual(types, ['transferred', 'transferred', 'paid_at_par']);
    assert.equal(available(f, 'acme-usd'), 75_000n);
    assert.equal(available(f, 'first-meridian-usd'), 1_025_000n);
    assert.equal(available(f, 'straits-bank-usd-scb'), 975_000n);
    assert.equal(available(f, 'globex-usd-scb'), 125_000n);
    const obligation = f.state.interbank_obligations.get(obligationKey(dayOf(T0 + 1000), 'usd-fmb', 'usd-scb'));
    assert.deepEqual(obligation, { dayMs: dayOf(T0 + 1000), debtorAsset: 'usd-fmb', creditorAsset: 'usd-scb', debtor: 'first-meridian', creditor: 'straits-bank', amountMinor: 25_000n, payments: 1 });
    assert.deepEqual(checkInvariants(f.state), []);
    assert.equal(supply(f, 'usd-fmb'), 1_300_000n, 'no token is minted or burnt: supply stays');
  });

  it('sets the two directions against each other under the cap, day by day', () => {
    const f = atPar({ scb: '100.00' });
    assert.equal(send(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '100.01')]).result.status, 'rejected');
    // Globex pays acme 60.00 first: First Meridian is owed 60.00, so acme may pay 160.00 (net 100.00).
    committed(f, 'globex', [pay('globex-usd-scb', 'acme-usd', '60.00')]);
    committed(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '160.00')]);
    const refused = send(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '0.01')]);
    assert.deepEqual(refused.result, { status: 'rejected', code: 'par_cap_exceeded', operation: 0 });
    // The next UTC day starts from nothing.
    committed(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '100.00')], dayOf(T0) + DAY + 1);
    const today = dayOf(T0);
    assert.equal(f.state.interbank_obligations.get(obligationKey(today, 'usd-fmb', 'usd-scb'))!.amountMinor, 16_000n);
    assert.equal(f.state.interbank_obligations.get(obligationKey(today, 'usd-scb', 'usd-fmb'))!.amountMinor, 6_000n);
    assert.equal(f.state.interbank_obligations.get(obligationKey(today + DAY, 'usd-fmb', 'usd-scb'))!.amountMinor, 10_000n);
    assert.deepEqual([...f.state.indexed('interbank_obligations', `day:${today}`)].sort(), [obligationKey(today, 'usd-fmb', 'usd-scb'), obligationKey(today, 'usd-scb', 'usd-fmb')]);
  });

  it("is governed by the payer's account policy like any payment", () => {
    const f = atPar();
    committed(f, 'acme', [{ type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '100.00', counterparties: ['initech'] }]);
    assert.deepEqual(send(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '1.00')]).result, { status: 'rejected', code: 'counterparty_not_allowed', operation: 0 });
    // Changing a policy in force takes its approver's signature too.
    committed(f, ['acme', 'acme-treasurer'], [{ type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '100.00' }]);
    const held = send(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '150.00')]);
    assert.deepEqual(held.types, ['approval_requested']);
    assert.equal(available(f, 'globex-usd-scb'), 100_000n, 'nothing moved before the second approval');
    assert.ok(committed(f, 'acme-treasurer', [{ type: 'approve_proposal', proposal: 'proposal-1' }]).includes('paid_at_par'));
    assert.equal(available(f, 'globex-usd-scb'), 115_000n);
  });

  it("arms a sweep on the payee's account, as a payment within one token does", () => {
    const f = atPar();
    committed(f, 'operator', [{ type: 'open_account', account: 'globex-usd-scb-reserve', owner: 'globex', asset: 'usd-scb' }]);
    committed(f, 'globex', [{ type: 'set_standing_instruction', instruction: 'sweep', kind: 'sweep', from: 'globex-usd-scb', to: 'globex-usd-scb-reserve', keep: '1000.00', onPayment: true }]);
    committed(f, 'acme', [pay('acme-usd', 'globex-usd-scb', '40.00')], T0 + 2000);
    beginBlock(f.state, T0 + 3000);
    assert.equal(available(f, 'globex-usd-scb-reserve'), 4_000n);
  });

  it('property: any mix of payments at par both ways over days keeps every token whole and the obligations equal to what was paid', () => {
    const payment = fc.record({ forward: fc.boolean(), cents: fc.integer({ min: 1, max: 40_000 }), day: fc.integer({ min: 0, max: 2 }) });
    fc.assert(fc.property(fc.array(payment, { minLength: 1, maxLength: 30 }), (payments) => {
      const f = atPar({ fmb: '300.00', scb: '300.00' });
      const paid = new Map<string, bigint>();
      let at = T0 + 1000;
      for (const p of [...payments].sort((a, b) => a.day - b.day)) {
        at = Math.max(at + 1, dayOf(T0) + p.day * DAY + 1000);
        const [from, to, debtor, creditor] = p.forward ? ['acme-usd', 'globex-usd-scb', 'usd-fmb', 'usd-scb'] : ['globex-usd-scb', 'acme-usd', 'usd-scb', 'usd-fmb'];
        const sent = send(f, p.forward ? 'acme' : 'globex', [pay(from, to, (p.cents / 100).toFixed(2))], at);
        if (sent.result.status === 'committed') {
          const key = obligationKey(dayOf(at), debtor, creditor);
          paid.set(key, (paid.get(key) ?? 0n) + BigInt(p.cents));
        } else {
          assert.ok(['par_cap_exceeded', 'insufficient_funds'].includes(sent.result.code), sent.result.code);
        }
      }
      assert.deepEqual(checkInvariants(f.state), []);
      assert.deepEqual(new Map([...f.state.interbank_obligations].map(([key, o]) => [key, o.amountMinor])), paid);
      for (const dayMs of new Set([...f.state.interbank_obligations.values()].map((o) => o.dayMs))) {
        const owed = (d: string, c: string) => f.state.interbank_obligations.get(obligationKey(dayMs, d, c))?.amountMinor ?? 0n;
        const net = owed('usd-fmb', 'usd-scb') - owed('usd-scb', 'usd-fmb');
        assert.ok(net <= 30_000n && -net <= 30_000n, `net ${net} within both caps`);
      }
      assert.equal(supply(f, 'usd-fmb'), 1_300_000n);
      assert.equal(supply(f, 'usd-scb'), 1_100_000n);
    }), { numRuns: 60 });
  });
});
