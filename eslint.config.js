import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'bench/results/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is bigint: never parseFloat.' },
      ],
    },
  },
  {
    // The console: React's rules of hooks.
    files: ['console/**/*.tsx', 'console/**/*.ts'],
    ...reactHooks.configs.flat['recommended-latest'],
  },
  {
    // Tests read response JSON loosely on purpose: the assertions check its shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'Date', message: 'The core has no clock: block time is passed in.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'The core is deterministic.' }],
      'no-restricted-imports': ['error', { patterns: ['node:*', '../chain/*', '../store/*', '../node/*'] }],
    },
  },
  {
    // The calendar hands block times to rrule and croner as Dates; it may build a Date from a time, never read the clock.
    files: ['src/core/operations/instructions/calendar.ts'],
    rules: {
      'no-restricted-globals': 'off',
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'The core has no clock: block time is passed in.' }, { object: 'Math', property: 'random', message: 'The core is deterministic.' }],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'The core has no clock: block time is passed in.' }],
    },
  },
);
