import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateUrls, lostServer } from '../../src/store/primary.js';

describe('finding the PostgreSQL primary', () => {
  it("splits libpq's multi-host URL into one URL per host, keeping every other parameter byte for byte", () => {
    assert.deepEqual(candidateUrls('postgres://app:s3cret@pg-1:5432,pg-2:6432/ledger?target_session_attrs=read-write&options=-c%20search_path%3Dx'), {
      urls: ['postgres://app:s3cret@pg-1:5432/ledger?options=-c%20search_path%3Dx', 'postgres://app:s3cret@pg-2:6432/ledger?options=-c%20search_path%3Dx'],
      readWrite: true,
    });
    assert.deepEqual(candidateUrls('postgresql://pg-1/ledger'), { urls: ['postgresql://pg-1/ledger'], readWrite: false });
    assert.deepEqual(candidateUrls('postgres://a,b/db?target_session_attrs=any'), { urls: ['postgres://a/db', 'postgres://b/db'], readWrite: false });
  });

  it('refuses a session attribute it does not implement rather than ignoring it', () => {
    assert.throws(() => candidateUrls('postgres://a,b/db?target_session_attrs=read-only'), /target_session_attrs=read-only is not supported/);
  });

  it('looks for the primary again only after errors that say the server went away or stopped taking writes', () => {
    assert.equal(lostServer(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), true);
    assert.equal(lostServer(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })), true);
    assert.equal(lostServer(Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })), true);
    assert.equal(lostServer(new Error('Connection terminated unexpectedly')), true);
    assert.equal(lostServer(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' })), false);
  });
});
