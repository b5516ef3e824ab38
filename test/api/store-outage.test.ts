import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import { apiFixture } from './fixture.js';
import { tempDir } from '../helpers.js';

/** A store whose reads fail the way a database that went away fails them, while `down` is set. */
function flakyStore(inner: Store, state: { down: boolean }): Store {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || !['transactionById', 'accountHistory', 'transaction'].includes(String(property))) return typeof value === 'function' ? value.bind(target) : value;
      return (...args: unknown[]) => {
        if (state.down) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

describe('a database that cannot be reached', () => {
  it('makes submissions and reads answer 503 unavailable with Retry-After, never 500, and records nothing', async () => {
    const dir = tempDir();
    const outage = { down: false };
    const f = await apiFixture({ store: flakyStore(new SqliteStore(join(dir.path, 'ledger.sqlite')), outage) });
    try {
      const height = f.t.ledger.engine.head?.header.height;
      outage.down = true;
      const submitted = await f.call('acme', 'POST', '/v1/transactions', await f.envelope('acme', [{ type: 'transfer', from: 'acme-usd', to: 'globex-usd', amount: '1.00' }]));
      assert.equal(submitted.status, 503);
      assert.equal(submitted.json.error.code, 'unavailable');
      assert.equal(submitted.headers['retry-after'], '1');
      const history = await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions');
      assert.equal(history.status, 503);
      assert.equal(history.json.error.code, 'unavailable');
      assert.equal(f.t.ledger.engine.head?.header.height, height, 'nothing was sequenced');
      outage.down = false;
      assert.equal((await f.call('acme', 'GET', '/v1/accounts/acme-usd/transactions')).status, 200);
    } finally {
      await f.close();
      dir.remove();
    }
  });
});
