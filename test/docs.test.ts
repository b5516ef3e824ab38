import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { REJECTION_CODES, REJECTION_PRECEDENCE } from '../src/core/index.js';
import { API_ERRORS } from '../src/node/errors.js';

const errorsDoc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');

function tableRows(marker: string): string[][] {
  const section = new RegExp(`<!-- ${marker}:start -->([\\s\\S]*?)<!-- ${marker}:end -->`).exec(errorsDoc)?.[1] ?? '';
  return section.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

describe('docs/errors.md', () => {
  it('lists every rejection code in precedence order, with its retryability', () => {
    const rows = tableRows('rejections');
    assert.deepEqual(rows.map((row) => row[0]), REJECTION_PRECEDENCE.map((code) => `\`${code}\``));
    for (const row of rows) {
      const code = row[0]!.slice(1, -1) as keyof typeof REJECTION_CODES;
      assert.equal(row[1], REJECTION_CODES[code].retryable ? 'yes' : 'no', code);
    }
  });

  it('documents every API error code with its status and type', () => {
    const rows = tableRows('api-errors');
    assert.deepEqual(rows.map((row) => row[0]).sort(), Object.keys(API_ERRORS).map((code) => `\`${code}\``).sort());
    for (const row of rows) {
      const spec = API_ERRORS[row[0]!.slice(1, -1) as keyof typeof API_ERRORS];
      assert.deepEqual([row[1], row[2]], [String(spec.status), spec.type], row[0]);
    }
  });
});
