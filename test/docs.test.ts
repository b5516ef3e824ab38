import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { GENERATED, render } from '../tools/docs.js';

describe('reference documentation', () => {
  for (const [file, sections] of Object.entries(GENERATED)) {
    it(`${file} carries the tables rendered from the registries (run "npm run docs" after changing them)`, () => {
      const text = readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
      assert.equal(text, render(text, sections));
    });
  }
});
