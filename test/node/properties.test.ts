import { recordedBlocks } from '../../src/store/types.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { signTransaction, verifyChain, type TransactionEnvelope } from '../../src/chain/index.js';
import { encodeEntity, parseAmount, TABLE_NAMES, type LedgerState, type Operation } from '../../src/core/index.js';
import { LedgerError } from '../../src/node/errors.js';
import type { Submission } from '../../src/node/ledger.js';
import { body, openTestLedger, signerOf } from '../helpers.js';

const HOLDERS = ['acme', 'globex', 'initech', 'first-meridian'];
const accountOf = (holder: string, currency = 'usd') => `${holder}-${currency}`;
const amount = fc.integer({ min: 1, max: 400_000 }).map((minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`);
const holder = fc.constantFrom(...HOLDERS);
const smallAmount = fc.integer({ min: 1, max: 50_000 }).map((minor) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`);
const holdId = fc.integer({ min: 0, max: 4 }).map((n) => `h${n}`);
const paymentId = fc.integer({ min: 0, max: 2 }).map((n) => `c${n}`);
const tranche = fc.constantFrom('t0', 't1');
const proposalId = fc.integer({ min: 1, max: 4 }).map((n) => `proposal-${n}`);
const decimal = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

/** Who approves tranche t0 of payment c0, c1, c2. */
const approverOf = (payment: string) => HOLDERS[Number(payment.slice(1))]!;

/**
 * A conditional payment in two tranches, funded in the same transaction (the issuer mints
 * what the payer locks): t0 on its approver's approval, some time-locked; t1 on the
 * carrier's attestation; some with a deadline that passes within the run.
 */
const conditionalPayment = fc.record({
  id: paymentId, from: holder, to: holder, minor: fc.integer({ min: 2, max: 400_000 }),
  autoRelease: fc.boolean(), lockMs: fc.constantFrom(null, 20), deadlineMs: fc.constantFrom(40, 60_000),
}).map(({ id, from, to, minor, autoRelease, lockMs, deadlineMs }) => ({
  signers: [...new Set(['first-meridian', from])],
  operations: [
    { type: 'issue', account: accountOf(from), amount: decimal(minor), depositReference: 'DEP-ESCROW' },
    {
      type: 'conditional_payment', payment: id, from: accountOf(from), to: accountOf(to === from ? HOLDERS[(HOLDERS.indexOf(from) + 1) % HOLDERS.length]! : to), amount: decimal(minor),
      deadlineMs: Date.now() + deadlineMs, autoRelease, arbiter: 'operator',
      tranches: [
        { tranche: 't0', amount: decimal(Math.floor(minor / 2)), approvers: [approverOf(id)], ...(lockMs !== null && { notBeforeMs: Date.now() + lockMs }) },
        { tranche: 't1', amount: decimal(minor - Math.floor(minor / 2)), attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] },
      ],
    },
  ] as Operation[],
}));

/** One step of a random workload: who signs and what. Some are meant to be rejected. */
type Step = { signers: string[]; operations: Operation[]; atomic?: boolean } | { resubmit: number };

/** Settlement s0 or s1: leg 0 from HOLDERS[n] to HOLDERS[n + 1], leg 1 back; some with a deadline that passes within the run. */
const settlementId = fc.constantFrom('s0', 's1');
const legParties = (id: string) => {
  const n = Number(id.slice(1));
  return [HOLDERS[n]!, HOLDERS[n + 1]!] as const;
};
const settlementSteps: fc.Arbitrary<Step>[] = [
  fc.record({ id: settlementId, a: fc.integer({ min: 1, max: 400_000 }), b: fc.integer({ min: 1, max: 400_000 }), deadlineMs: fc.constantFrom(40, 60_000) }).map(({ id, a, b, deadlineMs }) => {
    const [first, second] = legParties(id);
    return { signers: [first], operations: [{ type: 'propose_settlement', settlement: id, legs: [{ from: accountOf(first), to: accountOf(second), amount: decimal(a) }, { from: accountOf(second), to: accountOf(first), amount: decimal(b) }], deadlineMs: Date.now() + deadlineMs }] as Operation[] };
  }),
  fc.record({ id: settlementId, leg: fc.integer({ min: 0, max: 1 }) }).map(({ id, leg }) => ({ signers: [legParties(id)[leg]!], operations: [{ type: 'allocate_settlement', settlement: id, leg }] as Operation[] })),
  fc.record({ id: settlementId, leg: fc.integer({ min: 0, max: 1 }) }).map(({ id, leg }) => ({ signers: [legParties(id)[1 - leg]!], operations: [{ type: 'approve_settlement', settlement: id, leg }] as Operation[] })),
  fc.record({ id: settlementId, by: holder }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'settle', settlement: id }] as Operation[] })),
  fc.record({ id: settlementId, by: holder }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'cancel_settlement', settlement: id }] as Operation[] })),
];

const instructionId = fc.constantFrom('si-0', 'si-1', 'si-2');

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ from: holder, to: holder, amount, wrongAsset: fc.boolean() }).map(({ from, to, amount, wrongAsset }) => ({ signers: [from], operations: [{ type: 'transfer', from: accountOf(from), to: accountOf(to, wrongAsset && from !== to ? 'sgd' : 'usd'), amount }] as Operation[] })) },
  { weight: 3, arbitrary: fc.record({ to: holder, amount, by: fc.constantFrom('first-meridian', 'acme') }).map(({ to, amount, by }) => ({ signers: [by], operations: [{ type: 'issue', account: accountOf(to), amount, depositReference: 'DEP' }] as Operation[] })) },
  { weight: 2, arbitrary: fc.record({ from: holder, amount }).map(({ from, amount }) => ({ signers: [...new Set([from, 'first-meridian'])], operations: [{ type: 'redeem', account: accountOf(from), amount, payoutReference: 'PAY' }] as Operation[] })) },
  { weight: 3, arbitrary: fc.record({ id: holdId, from: holder, to: holder, amount, expiresInMs: fc.constantFrom(30, 60_000) }).map(({ id, from, to, amount, expiresInMs }) => ({ signers: [from], operations: [{ type: 'hold', hold: id, from: accountOf(from), to: accountOf(to), amount, expiresAtMs: Date.now() + expiresInMs }] as Operation[] })) },
  { weight: 2, arbitrary: fc.record({ id: holdId, by: holder, part: fc.option(amount) }).map(({ id, by, part }) => ({ signers: [by], operations: [{ type: 'post', hold: id, ...(part !== null && { amount: part }) }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ id: holdId, by: holder }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'void', hold: id }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ account: holder, frozen: fc.boolean() }).map(({ account, frozen }) => ({ signers: ['operator'], operations: [{ type: frozen ? 'freeze_account' : 'unfreeze_account', account: accountOf(account) }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ a: holder, b: holder, amount }).map(({ a, b, amount }) => ({ signers: [a], operations: [{ type: 'transfer', from: accountOf(a), to: accountOf(b), amount }, { type: 'transfer', from: accountOf(a), to: accountOf(b), amount }] as Operation[] })) },
  { weight: 2, arbitrary: fc.nat().map((n) => ({ resubmit: n })) },
  { weight: 2, arbitrary: conditionalPayment },
  ...settlementSteps.map((arbitrary) => ({ weight: 2, arbitrary })),
  { weight: 2, arbitrary: paymentId.map((id) => ({ signers: [approverOf(id)], operations: [{ type: 'approve_conditional', payment: id, tranche: 't0' }] as Operation[] })) },
  { weight: 2, arbitrary: paymentId.map((id) => ({ signers: ['oceanic-lines'], operations: [{ type: 'attest', payment: id, tranche: 't1', documentType: 'bill_of_lading', documentHash: 'd'.repeat(64) }] as Operation[] })) },
  { weight: 2, arbitrary: fc.record({ id: paymentId, by: holder, tranche }).map(({ id, by, tranche }) => ({ signers: [by], operations: [{ type: 'release_conditional', payment: id, tranche }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ id: paymentId, by: holder }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'cancel_conditional', payment: id }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ id: paymentId, by: holder }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'dispute_conditional', payment: id, reason: 'disputed' }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ id: paymentId, toPayee: fc.option(fc.integer({ min: 0, max: 200_000 }).map(decimal)) }).map(({ id, toPayee }) => ({ signers: ['operator'], operations: [toPayee === null ? { type: 'decide_dispute', payment: id, decision: 'resume' } : { type: 'decide_dispute', payment: id, decision: 'settle', toPayee }] as Operation[] })) },
  { weight: 2, arbitrary: fc.record({ payer: holder, payees: fc.array(fc.record({ to: holder, amount }), { minLength: 1, maxLength: 5 }) }).map(({ payer, payees }) => ({ signers: [payer], atomic: false, operations: payees.map(({ to, amount }) => ({ type: 'transfer', from: accountOf(payer), to: accountOf(to), amount })) as Operation[] })) },
  // Maker-checker on acme-usd: payments above the threshold wait for Acme's treasurer, who approves or rejects them.
  { weight: 1, arbitrary: fc.record({ above: amount, daily: fc.option(amount) }).map(({ above, daily }) => ({ signers: ['acme'], operations: [{ type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: above, ...(daily !== null && { dailyLimit: daily }) }] as Operation[] })) },
  { weight: 2, arbitrary: proposalId.map((id) => ({ signers: ['acme-treasurer'], operations: [{ type: 'approve_proposal', proposal: id }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ id: proposalId, by: fc.constantFrom('acme', 'acme-treasurer') }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'reject_proposal', proposal: id }] as Operation[] })) },
  // Standing instructions: sweeps that run whenever a payment lands (and may chain into one another), and their cancellation.
  { weight: 1, arbitrary: fc.record({ id: instructionId, from: holder, to: holder, keep: amount }).map(({ id, from, to, keep }) => ({ signers: [from], operations: [{ type: 'set_standing_instruction', instruction: id, kind: 'sweep', from: accountOf(from), to: accountOf(to), keep, onPayment: true }] as Operation[] })) },
  { weight: 1, arbitrary: fc.record({ id: instructionId, by: holder }).map(({ id, by }) => ({ signers: [by], operations: [{ type: 'cancel_standing_instruction', instruction: id }] as Operation[] })) },
  // Payments at par between First Meridian's dollars and Straits' (both joined, Straits capped at 2,000.00 net a day): either way, sometimes refused for the cap or the funds.
  { weight: 4, arbitrary: fc.record({ from: holder, to: holder, amount: smallAmount, toStraits: fc.boolean() }).map(({ from, to, amount, toStraits }) => ({
    signers: [from], operations: [{ type: 'transfer_at_par', from: accountOf(from, toStraits ? 'usd' : 'usd-scb'), to: accountOf(to, toStraits ? 'usd-scb' : 'usd'), amount }] as Operation[],
  })) },
);

/**
 * Straits' dollars at par with First Meridian's: both settlement accounts and each client's
 * accounts of both tokens funded (First Meridian holds no Straits dollars). What is issued
 * here is not in the steps the supply model counts.
 */
const STRAITS_SUPPLY_MINOR = 5_000_000n + 3n * 100_000n;
const FIRST_MERIDIAN_SETUP_MINOR = 500_000n + 3n * 100_000n;
async function joinPar(t: Awaited<ReturnType<typeof openTestLedger>>): Promise<void> {
  const clients = HOLDERS.filter((holder) => holder !== 'first-meridian');
  const joined = await t.submit('first-meridian', [
    { type: 'join_par_settlement', asset: 'usd-fmb', settlementAccount: 'first-meridian-usd' },
    { type: 'issue', account: 'first-meridian-usd', amount: '5000.00', depositReference: 'LIQ' },
    ...clients.map((holder): Operation => ({ type: 'issue', account: accountOf(holder), amount: '1000.00', depositReference: 'DEP-FMB' })),
  ]);
  assert.deepEqual(joined.result, { status: 'committed' });
  const funded = await t.submit('straits-bank', [
    { type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'straits-bank-usd-scb', cap: '2000.00' },
    { type: 'issue', account: 'straits-bank-usd-scb', amount: '50000.00', depositReference: 'LIQ' },
    ...clients.map((holder): Operation => ({ type: 'issue', account: accountOf(holder, 'usd-scb'), amount: '1000.00', depositReference: 'DEP-SCB' })),
  ]);
  assert.deepEqual(funded.result, { status: 'committed' });
}

function snapshot(state: LedgerState): string {
  return TABLE_NAMES.map((table) => [...state.table(table)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, e]) => `${table}/${id}=${encodeEntity(table, e)}`).join('\n')).join('\n');
}

/**
 * Supply implied by the committed issues and redemptions alone: the model the ledger must
 * agree with. A transaction a policy held back moved nothing; a proposal that was executed
 * moved what its operations say.
 */
function modelSupply(envelopes: { envelope: TransactionEnvelope; outcome: Submission }[], executed: readonly Operation[][]): bigint {
  let supply = 0n;
  const committed = envelopes.filter(({ envelope, outcome }) => outcome.status === 'sealed' && outcome.receipt.result.status === 'committed' && !outcome.replayed && (outcome.heldBack === undefined || envelope.body.atomic === false));
  for (const operations of [...committed.map(({ envelope }) => envelope.body.operations), ...executed]) {
    for (const op of operations) {
      const parsed = 'amount' in op && op.amount !== undefined ? parseAmount(op.amount, 2) : null;
      if (parsed?.ok !== true) continue;
      if (op.type === 'issue') supply += parsed.minor;
      if (op.type === 'redeem') supply -= parsed.minor;
    }
  }
  return supply;
}

describe('ledger properties', () => {
  it('conserves supply, never goes negative, replays to the same state and hashes, and answers resubmissions with the first result (holds, conditional payments, settlements, maker-checker, standing instructions and payments at par in the mix)', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), async (rounds) => {
      const t = await openTestLedger({ sequencer: { blockIntervalMs: 1 } });
      try {
        await joinPar(t);
        const sent: { envelope: TransactionEnvelope; outcome: Submission }[] = [];
        for (const round of rounds) {
          // Each round is submitted concurrently, so several transactions share a block.
          const submissions = await Promise.all(round.map(async (s) => {
            if ('resubmit' in s) {
              const earlier = sent[s.resubmit % Math.max(sent.length, 1)];
              if (earlier === undefined) return null;
              const again = await t.ledger.submit(earlier.envelope, true);
              assert.equal(again.replayed, true);
              assert.equal(again.status, 'sealed');
              if (again.status === 'sealed' && earlier.outcome.status === 'sealed') {
                assert.deepEqual(again.receipt.result, earlier.outcome.receipt.result);
                assert.equal(again.receipt.block.hash, earlier.outcome.receipt.block.hash);
              }
              return null;
            }
            const envelope = await signTransaction(body(t.network, s.signers[0]!, s.operations, s.atomic === false ? { atomic: false } : {}), s.signers.map((name) => signerOf(t.network, name)));
            try {
              return { envelope, outcome: await t.ledger.submit(envelope, true) };
            } catch (error) {
              if (error instanceof LedgerError && error.kind !== 'unavailable') return null;
              throw error;
            }
          }));
          for (const entry of submissions) if (entry !== null) sent.push(entry);
        }
        assert.deepEqual(t.violations, []);
        const asset = t.ledger.state.assets.get('usd-fmb')!;
        const executed = [...t.ledger.state.proposals.values()].filter((p) => p.status === 'executed').map((p) => p.operations as Operation[]);
        assert.equal(asset.issuedMinor - asset.redeemedMinor, FIRST_MERIDIAN_SETUP_MINOR + modelSupply(sent, executed));
        const straits = t.ledger.state.assets.get('usd-scb')!;
        assert.equal(straits.issuedMinor - straits.redeemedMinor, STRAITS_SUPPLY_MINOR, 'payments at par mint and burn nothing');
        for (const account of t.ledger.state.accounts.values()) assert.ok(account.availableMinor >= 0n && account.heldMinor >= 0n);

        const report = await verifyChain(t.ledger.genesis, recordedBlocks(t.ledger.store), { invariantsEveryBlock: true });
        assert.equal(report.failure, null);
        assert.equal(report.headHash, t.ledger.engine.head?.hash);
        assert.equal(snapshot(report.state), snapshot(t.ledger.state));
      } finally {
        await t.close();
      }
    }), { numRuns: 25 });
  });
});
