import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agreementHash, agreementProblems, compileAgreement, totalMinor } from '../../../src/modules/trade/agreement.js';
import { draftAgreement } from '../../../src/modules/trade/draft/combine.js';
import { readTranscript, TranscriptError } from '../../../src/modules/trade/draft/transcript.js';
import { CONVERSATIONS } from './conversations.js';

const OPTIONS = { today: '2026-12-06' } as const;

describe('drafting an agreement from a conversation (offline extractor), field by field', () => {
  for (const c of CONVERSATIONS) {
    it(c.name, () => {
      const draft = draftAgreement(readTranscript(c.transcript), OPTIONS);
      const f = draft.fields;
      assert.equal(draft.language, c.language);
      assert.equal(f.buyer?.value, c.buyer, 'buyer');
      assert.equal(f.seller?.value, c.seller, 'seller');
      assert.deepEqual(f.goods.map((g) => ({ description: g.value.description, quantity: g.value.quantity, unit: g.value.unit, unitPrice: g.value.unitPrice })), c.goods ?? [], 'goods');
      assert.equal(f.currency?.value, c.currency, 'currency');
      assert.equal(f.settlementCurrency?.value, c.settlementCurrency, 'settlement currency');
      assert.equal(f.incoterms === undefined ? undefined : `${f.incoterms.value.rule} ${f.incoterms.value.place}`, c.incoterms, 'Incoterms');
      assert.equal(f.deliveryDate?.value, c.deliveryDate, 'delivery date');
      assert.deepEqual(f.milestones.map((m) => [m.value.trigger, m.value.shareBp]), c.milestones ?? [], 'milestones');
      assert.equal(f.disputeWindowDays?.value, c.disputeWindowDays ?? 14, 'dispute window');
      assert.equal(f.arbiter?.value, c.arbiter, 'arbiter');
      for (const words of c.missing ?? []) assert.ok(draft.missing.some((m) => m.includes(words)), `missing "${words}" in ${JSON.stringify(draft.missing)}`);
      assert.deepEqual(draft.contradictions.length, (c.contradictions ?? []).length, `contradictions ${JSON.stringify(draft.contradictions)}`);
      for (const words of c.contradictions ?? []) assert.ok(draft.contradictions.some((m) => m.includes(words)), `contradiction "${words}" in ${JSON.stringify(draft.contradictions)}`);
      // Every stated field carries the words it came from, found in the transcript.
      for (const field of [f.buyer, f.seller, f.currency, f.incoterms, f.deliveryDate, ...f.goods, ...f.milestones]) {
        if (field !== undefined && field.message !== null) assert.ok(field.confidence > 0 && field.quote.length > 0);
      }
    });
  }

  it('names its source words; an assumed dispute window says it was assumed', () => {
    const draft = draftAgreement(readTranscript(CONVERSATIONS[1]!.transcript), OPTIONS);
    assert.match(draft.fields.incoterms!.quote, /CIF Rotterdam/);
    assert.equal(draft.fields.incoterms!.message, 1);
    assert.equal(draft.fields.disputeWindowDays!.confidence, 0.3);
    assert.match(draft.fields.disputeWindowDays!.quote, /assumed/);
  });

  it('becomes an agreement only once the parties, attesters and arbiter are named on the ledger', () => {
    const transcript = readTranscript(CONVERSATIONS[0]!.transcript);
    const bare = draftAgreement(transcript, OPTIONS);
    assert.equal(bare.agreement, null);
    assert.ok(bare.missing.some((m) => m.includes("buyer's participant")));
    assert.ok(bare.missing.some((m) => m.includes('carrier')));
    const named = draftAgreement(transcript, { ...OPTIONS, id: 'earbuds-1', parties: { buyer: { participant: 'acme', account: 'acme-usd' }, seller: { participant: 'globex', account: 'globex-usd', settlementAccount: 'globex-hkd' } }, attesters: { carrier: 'oceanic-lines' }, arbiter: 'operator' });
    assert.deepEqual(named.missing, []);
    const agreement = named.agreement!;
    assert.deepEqual(agreementProblems(agreement, 2), []);
    assert.equal(totalMinor(agreement, 2), 6_000_000n);
    assert.deepEqual(agreement.milestones.map((m) => [m.id, m.evidence.kind, m.deadline]), [['signing', 'signing', '2026-12-13'], ['shipment', 'attestation', '2027-03-15'], ['delivery', 'acceptance', '2027-03-29']]);
    assert.match(agreementHash(agreement), /^[0-9a-f]{64}$/);
    const op = compileAgreement(agreement, { payment: 'earbuds-1', decimals: 2 });
    assert.equal(op.amount, '60000.00');
    assert.deepEqual(op.tranches.map((t) => [t.tranche, t.amount]), [['signing', '18000.00'], ['shipment', '36000.00'], ['delivery', '6000.00']]);
    assert.deepEqual(op.tranches[1]!.attestations, [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }]);
    assert.deepEqual(op.tranches[2]!.approvers, ['acme']);
    assert.equal(op.deadlineMs, Date.parse('2027-03-30T00:00:00Z') + 30 * 86_400_000);
  });

  it('refuses a transcript it cannot read, saying why', () => {
    assert.throws(() => readTranscript('no speaker on this line'), TranscriptError);
    assert.throws(() => readTranscript('[{"speaker": "a"}]'), /message 1 lacks a speaker or a text/);
    assert.throws(() => readTranscript('{"messages": 3}'), /array of \{ speaker, text \}/);
    assert.throws(() => readTranscript('[oops'), /not valid JSON/);
    assert.throws(() => readTranscript(`A: ${'x'.repeat(4_001)}`), /message 1 has 4001 characters; at most 4000/);
    assert.throws(() => readTranscript(Array.from({ length: 501 }, () => 'A: hi').join('\n')), /501 messages; at most 500/);
    // Long runs without punctuation after a share or a currency phrase: bounded work, still read.
    const pathological = readTranscript(`A: ${'30% on '.repeat(300)}${'a'.repeat(1_500)}\nB: we would like to be paid in ${'b '.repeat(1_000)}`);
    assert.equal(draftAgreement(pathological, OPTIONS).fields.settlementCurrency, undefined);
    assert.deepEqual(readTranscript('A: one\ncontinued\nB：二'), [{ index: 0, speaker: 'A', text: 'one continued' }, { index: 1, speaker: 'B', text: '二' }]);
  });

  it('checks an agreement before it can be signed: shares, parties, exact totals', () => {
    const draft = draftAgreement(readTranscript(CONVERSATIONS[0]!.transcript), { ...OPTIONS, parties: { buyer: { participant: 'acme', account: 'acme-usd' }, seller: { participant: 'globex', account: 'globex-usd', settlementAccount: 'globex-hkd' } }, attesters: { carrier: 'oceanic-lines' }, arbiter: 'operator' });
    const agreement = draft.agreement!;
    assert.deepEqual(agreementProblems({ ...agreement, milestones: agreement.milestones.slice(1) }, 2), ["the milestones' shares add up to 70%, not 100%"]);
    assert.ok(agreementProblems({ ...agreement, seller: agreement.buyer }, 2).includes('the buyer and the seller are the same participant'));
    assert.ok(agreementProblems({ ...agreement, goods: [{ ...agreement.goods[0]!, quantity: '1', unitPrice: '0.125' }] }, 2).some((p) => p.includes('more than 2 decimals')));
    assert.ok(agreementProblems({ ...agreement, milestones: agreement.milestones.map((m, i) => (i === 0 ? { ...m, deadline: '2027-02-31' } : m)) }, 2).includes('a milestone deadline is not a date'));
    assert.ok(agreementProblems({ ...agreement, deliveryDate: '2027-13-01' }, 2).includes('the delivery date is not a date'));
  });
});
