import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEntity, encodeEntity, ENTITIES, type TableName } from '../../src/core/index.js';
import { fundedFixture, T0 } from './fixture.js';

/** The same entity with its fields in reverse insertion order: an object's key order must not reach the bytes. */
function reversed(entity: object): object {
  return Object.fromEntries(Object.entries(entity).reverse());
}

describe('entity snapshot encoding', () => {
  // A state with an entity of every kind: participants, assets, accounts, a hold, a minter's allowance, a conditional payment, a settlement, a standing instruction, par settlement members and an interbank obligation, policies, a proposal.
  const fixture = fundedFixture();
  const held = fixture.apply('acme', [{ type: 'hold', hold: 'h1', from: 'acme-usd', to: 'globex-usd', amount: '10.00', expiresAtMs: T0 + 3_600_000 }]);
  assert.equal(held.status, 'committed');
  const locked = fixture.apply('acme', [{
    type: 'conditional_payment', payment: 'c1', from: 'acme-usd', to: 'globex-usd', amount: '10.00', deadlineMs: T0 + 3_600_000, arbiter: 'operator',
    tranches: [{ tranche: 'a', amount: '4.00', approvers: ['initech'], notBeforeMs: T0 + 60_000 }, { tranche: 'b', amount: '6.00', attestations: [{ attester: 'oceanic-lines', documentType: 'bill_of_lading' }] }],
  }]);
  assert.equal(locked.status, 'committed');
  const proposed = fixture.apply('acme', [{ type: 'propose_settlement', settlement: 's1', legs: [{ from: 'acme-usd', to: 'globex-usd', amount: '5.00' }, { from: 'globex-usd', to: 'acme-usd', amount: '1.00' }], deadlineMs: T0 + 3_600_000 }, { type: 'allocate_settlement', settlement: 's1', leg: 0 }]);
  assert.equal(proposed.status, 'committed');
  // A standing instruction with a schedule in a named zone (nested fields).
  assert.equal(fixture.apply('globex', [{ type: 'set_standing_instruction', instruction: 'si1', kind: 'pay', from: 'globex-usd', to: 'acme-usd', amount: '5.00', schedule: { cron: '0 9 * * 1', timeZone: 'Asia/Singapore' } }]).status, 'committed');
  // Both US dollar tokens at par (one with a cap), and a payment across them: an obligation between the banks.
  assert.equal(fixture.apply('first-meridian', [{ type: 'join_par_settlement', asset: 'usd-fmb', settlementAccount: 'first-meridian-usd', cap: '5000.00' }]).status, 'committed');
  assert.equal(fixture.apply('straits-bank', [{ type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'straits-bank-usd-scb' }, { type: 'issue', account: 'straits-bank-usd-scb', amount: '100.00', depositReference: 'LIQ-1' }]).status, 'committed');
  assert.equal(fixture.apply('initech', [{ type: 'transfer_at_par', from: 'initech-usd', to: 'globex-usd-scb', amount: '3.00' }]).status, 'committed');
  // The issuer's core-banking link attests a statement of its omnibus account (a debit balance, two breaks).
  assert.equal(fixture.apply('banking', [{ type: 'attest_reconciliation', asset: 'usd-fmb', statement: 'STMT-1', statementHash: 'ab'.repeat(32), cutoffMs: T0, statementBalance: '-1.00', supply: '3000.00', creditsInTransit: '5.00', payoutsInTransit: '0.00', breaks: 2 }]).status, 'committed');
  // Compliance files a suspicious transaction report: the ledger keeps its hash.
  assert.equal(fixture.apply('operator', [{ type: 'file_report', report: 'STR-1', kind: 'suspicious_transaction', format: 'goaml-xml', documentHash: 'cd'.repeat(32), covers: 'case 1' }]).status, 'committed');
  // Compliance switches the Travel Rule on for payments from the US in dollars.
  assert.equal(fixture.apply('operator', [{ type: 'set_travel_rule_threshold', jurisdiction: 'US', currency: 'USD', amount: '1000.00' }]).status, 'committed');
  // The stablecoin's reserve manager throttles its minting (an allowance withheld, a nested throttle) and attests a day's reserves.
  assert.equal(fixture.apply('reserves', [{ type: 'throttle_minting', asset: 'hkd-hsi', ceiling: '100.00', reason: 'coverage 108.0%' }]).status, 'committed');
  assert.equal(fixture.apply('reserves', [{ type: 'attest_reserves', asset: 'hkd-hsi', report: '2026-12-06', reportHash: 'ef'.repeat(32), holdingsRoot: '01'.repeat(32), holdings: 3, reserves: '0.00', supply: '0.00' }]).status, 'committed');
  // A trade agreement signed by its buyer (an array of signers).
  assert.equal(fixture.apply('acme', [{ type: 'sign_agreement', agreement: 'trade-1', version: 1, hash: 'ab'.repeat(32), buyer: 'acme', seller: 'globex' }]).status, 'committed');
  // An account policy with its optional limits, the operator's dual control, and a payment the policy holds back.
  assert.equal(fixture.apply('acme', [{ type: 'set_account_policy', account: 'acme-usd', approvers: ['acme-treasurer'], approvalsRequired: 1, approvalAbove: '100.00', dailyLimit: '900.00', counterparties: ['globex'] }]).status, 'committed');
  assert.equal(fixture.apply('operator', [{ type: 'set_control_policy', approvers: ['duty-officer'], approvalsRequired: 1, acts: ['force_transfer'] }]).status, 'committed');
  assert.equal(fixture.apply('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '200.00' }]).status, 'committed');
  assert.equal(fixture.state.proposals.size, 1);

  for (const { table, schema } of ENTITIES) {
    it(`${table}: fields in schema order, amounts as decimal strings, the same bytes whatever the object's key order`, () => {
      const entities = [...fixture.state.table(table as TableName).values()];
      assert.ok(entities.length > 0, `the fixture has no ${table}`);
      const order = Object.keys(schema.properties);
      for (const entity of entities) {
        const encoded = encodeEntity(table as TableName, entity as never);
        const parsed = JSON.parse(encoded) as Record<string, unknown>;
        const keys = Object.keys(parsed);
        assert.deepEqual(keys, order.filter((name) => keys.includes(name)), `${table}: ${encoded}`);
        for (const [name, value] of Object.entries(entity)) if (typeof value === 'bigint') assert.equal(parsed[name], value.toString(), `${table}.${name}`);
        assert.equal(encodeEntity(table as TableName, reversed(entity) as never), encoded);
        assert.deepEqual(decodeEntity(table as TableName, encoded), entity);
      }
    });
  }

  it('an entity with no fields set encodes to an empty object, not broken JSON', () => {
    for (const { encode } of ENTITIES) assert.equal((encode as (e: object) => string)({}), '{}');
  });
});
