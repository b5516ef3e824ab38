import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OPERATION_TYPES, operationDefinition } from '../../src/core/operations/index.js';
import { assertMatches } from '../../src/node/schema-check.js';
import { ops } from '../../src/sdk/index.js';

describe('the SDK\'s operation builders', () => {
  it('has one builder per registered operation, named in camelCase, each making its type', () => {
    const builders = Object.keys(ops).sort();
    assert.deepEqual(builders, OPERATION_TYPES.map((type) => type.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())).sort());
    for (const type of OPERATION_TYPES) {
      const name = type.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof typeof ops;
      assert.equal((ops[name] as (fields: object) => { type: string })({}).type, type);
    }
  });

  it('builds operations the API accepts, typed by the registry\'s schemas', () => {
    const transfer = ops.transfer({ from: 'acme-usd', to: 'globex-usd', amount: '250.00' });
    assertMatches(operationDefinition('transfer')!.schema, transfer);
    const forced = ops.forceTransfer({ from: 'acme-usd', to: 'globex-usd', amount: '1.00', reason: 'court_order', legalReference: 'SDNY 1:26-cv-01234' });
    assertMatches(operationDefinition('force_transfer')!.schema, forced);
    // @ts-expect-error a transfer has no asset field: the compiler refuses it, as the API would
    ops.transfer({ from: 'a', to: 'b', amount: '1.00', asset: 'usd' });
  });
});
