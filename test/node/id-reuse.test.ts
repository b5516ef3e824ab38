import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { newSalt, signTransaction, type TransactionEnvelope } from '../../src/chain/index.js';
import type { Operation } from '../../src/core/index.js';
import { LedgerError } from '../../src/node/errors.js';
import { openTestLedger, signerOf, type TestLedger } from '../helpers.js';

/** A ledger whose clock the test moves by hand. */
async function ledgerWithClock(): Promise<{ t: TestLedger; clock: { nowMs: number } }> {
  const clock = { nowMs: Date.now() };
  const t = await openTestLedger({ clock: () => clock.nowMs });
  await t.submit('first-meridian', [{ type: 'issue', account: 'acme-usd', amount: '1000.00', depositReference: 'DEP-IDS' }]);
  return { t, clock };
}

const pay = (amount: string): Operation[] => [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount }];

async function signed(t: TestLedger, id: string, validUntilMs: number, operations: Operation[]): Promise<TransactionEnvelope> {
  return signTransaction({ network: t.network.genesis.network, id, sender: 'acme', validUntilMs, operations, salt: newSalt() }, [signerOf(t.network, 'acme')]);
}

let ticks = 0;

/** A payment at the simulated time, so that the sequencer cuts a block at that time and closes windows. */
async function tick(t: TestLedger, nowMs: number): Promise<void> {
  ticks += 1;
  const outcome = await t.ledger.submit(await signed(t, `tick-${ticks}`, nowMs + 60_000, pay('0.01')), true);
  assert.ok(outcome.status === 'sealed' && outcome.receipt.result.status === 'committed');
}

/** What a submission came to: sealed (with its block hash), or the code of the error admission answered. */
async function outcomeOf(t: TestLedger, envelope: TransactionEnvelope): Promise<{ sealed: true; replayed: boolean; block: string; status: string } | { sealed: false; code: string }> {
  try {
    const outcome = await t.ledger.submit(envelope, true);
    assert.equal(outcome.status, 'sealed');
    if (outcome.status !== 'sealed') throw new Error('unreachable');
    return { sealed: true, replayed: outcome.replayed, block: outcome.receipt.block.hash, status: outcome.receipt.result.status };
  } catch (error) {
    if (error instanceof LedgerError && error.kind !== 'unavailable') return { sealed: false, code: error.code };
    throw error;
  }
}

describe('a transaction id is spent for good', () => {
  it('answers a reused id with 409 or the first result after its validity window closed, and the node goes on', async () => {
    const { t, clock } = await ledgerWithClock();
    try {
      const first = await signed(t, 'inv-2026-0042', clock.nowMs + 1000, pay('1.00'));
      const committed = await outcomeOf(t, first);
      assert.equal(committed.sealed && committed.status, 'committed');

      // Past the window: a later block drops the id from the in-memory window.
      clock.nowMs += 5000;
      await tick(t, clock.nowMs);
      assert.equal(t.ledger.state.transactionKeys.has('acme/inv-2026-0042'), false, 'the id left the in-memory window');

      const reused = await outcomeOf(t, await signed(t, 'inv-2026-0042', clock.nowMs + 60_000, pay('2.00')));
      assert.deepEqual(reused, { sealed: false, code: 'idempotency_conflict' });
      const replayed = await outcomeOf(t, first);
      assert.deepEqual(replayed, { ...committed, replayed: true });

      assert.equal(t.ledger.engine.failed, null, 'the sequencer did not stop');
      await tick(t, clock.nowMs);
      assert.equal(t.ledger.state.accounts.get('globex-usd')?.availableMinor, 102n, 'only 1.00 and two ticks of 0.01 reached globex');
    } finally {
      await t.close();
    }
  });

  it('settles every id once under random resubmissions over a simulated clock (property)', async () => {
    /** One step: submit (a fresh body or an earlier envelope again) under one of a few ids, or let time pass. */
    const step = fc.oneof(
      fc.record({ kind: fc.constant('submit' as const), id: fc.integer({ min: 0, max: 3 }), cents: fc.integer({ min: 1, max: 50 }), validForMs: fc.constantFrom(500, 2000, 30_000) }),
      fc.record({ kind: fc.constant('again' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.constantFrom(100, 1000, 5000, 40_000) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), async (steps) => {
      const { t, clock } = await ledgerWithClock();
      try {
        const sent: TransactionEnvelope[] = [];
        /** The model: the hash and block each id first sealed with. */
        const spent = new Map<string, { hash: string; block: string }>();
        const { transactionHash } = await import('../../src/chain/index.js');
        for (const s of steps) {
          if (s.kind === 'wait') {
            clock.nowMs += s.ms;
            await tick(t, clock.nowMs);
            continue;
          }
          const envelope = s.kind === 'again' ? sent[s.pick % Math.max(1, sent.length)] : await signed(t, `id-${s.id}`, clock.nowMs + s.validForMs, pay(`0.${String(s.cents).padStart(2, '0')}`));
          if (envelope === undefined) continue;
          sent.push(envelope);
          const hash = transactionHash(envelope.body);
          const key = envelope.body.id;
          const outcome = await outcomeOf(t, envelope);
          const earlier = spent.get(key);
          if (earlier !== undefined) {
            if (earlier.hash === hash) assert.deepEqual(outcome.sealed && [outcome.replayed, outcome.block], [true, earlier.block], `resubmitting ${key}`);
            else assert.deepEqual(outcome, { sealed: false, code: 'idempotency_conflict' }, `reusing ${key} for other content`);
          } else if (envelope.body.validUntilMs < t.ledger.now()) {
            assert.deepEqual(outcome, { sealed: false, code: 'transaction_expired' });
          } else {
            assert.ok(outcome.sealed && !outcome.replayed, `first use of ${key}: ${JSON.stringify(outcome)}`);
            spent.set(key, { hash, block: outcome.block });
          }
          assert.equal(t.ledger.engine.failed, null, 'the sequencer never stops');
        }
      } finally {
        await t.close();
      }
    }), { numRuns: 30 });
  });
});
