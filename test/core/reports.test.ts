import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fundedFixture } from './fixture.js';

const report = (id: string, extra: Record<string, unknown> = {}) => ({ type: 'file_report' as const, report: id, kind: 'suspicious_transaction' as const, format: 'goaml-xml' as const, documentHash: 'ab'.repeat(32), covers: 'case 42', ...extra });

describe('file_report: a regulatory report recorded by its hash', () => {
  it('is kept with who filed it and when; its event names no participant (the subject is never told)', () => {
    const f = fundedFixture();
    const result = f.apply('operator', [report('STR-2026-0001')]);
    assert.equal(result.status, 'committed');
    const kept = f.state.reports.get('STR-2026-0001')!;
    assert.equal(kept.filedBy, 'operator');
    assert.equal(kept.documentHash, 'ab'.repeat(32));
    assert.equal(kept.kind, 'suspicious_transaction');
  });

  it('only compliance files; a report id is filed once; a bad hash or kind is refused', () => {
    const f = fundedFixture();
    assert.deepEqual(f.apply('acme', [report('STR-X')]), { status: 'rejected', code: 'not_authorized', operation: 0 });
    assert.equal(f.apply('operator', [report('STR-1')]).status, 'committed');
    assert.deepEqual(f.apply('operator', [report('STR-1', { documentHash: 'cd'.repeat(32) })]), { status: 'rejected', code: 'already_exists', operation: 0 });
  });
});
