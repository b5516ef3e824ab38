/**
 * The documentation's reference tables, rendered from the registries they describe (the
 * operations, the rejection codes, the API's errors, the roles, the domain events), so
 * that they are never written twice. `npm run docs` rewrites them in place between their
 * markers; the docs test fails when a file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { OPERATIONS, REJECTION_CODES, ROLE_DEFINITIONS, SCHEDULED_EFFECTS, transactionRejected, operationRejected, approvalRequested, type EventDefinition } from '../src/core/index.js';
import { API_ERRORS } from '../src/node/api/errors.js';

const code = (text: string): string => `\`${text}\``;
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const table = (headers: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(headers), row(headers.map(() => '---')), ...rows.map(row)].join('\n');

export function rejectionsTable(): string {
  return table(['code', 'retryable', 'answered at admission', 'meaning'], Object.entries(REJECTION_CODES).map(([name, definition]) =>
    [code(name), definition.retryable ? 'yes' : 'no', definition.atAdmission ? 'yes (HTTP error, nothing recorded)' : 'no (recorded in the block)', definition.description]));
}

export function initiatorsTable(): string {
  return table(['operation', 'family', 'may be sent by', 'needs the consent (signature) of'], OPERATIONS.map((definition) =>
    [code(definition.type), definition.family, definition.initiators.join(', '), definition.consent]));
}

export function rolesTable(): string {
  return table(['role', 'oversees the ledger', 'may own accounts', 'what it is'], Object.entries(ROLE_DEFINITIONS).map(([name, definition]) =>
    [code(name), definition.oversees ? 'yes' : 'no', definition.holdsAccounts ? 'yes' : 'no', definition.description]));
}

export function apiErrorsTable(): string {
  return table(['code', 'HTTP', 'type', 'cause and what to do'], Object.entries(API_ERRORS).map(([name, definition]) =>
    [code(name), String(definition.status), definition.type, definition.resolution]));
}

/** Every domain event type, with the operation (or scheduled effect) that emits it. */
export function eventsTable(): string {
  const rows: string[][] = [];
  const add = (event: EventDefinition, source: string) => rows.push([code(event.type), source, event.description, Object.keys(event.schema.properties).map(code).join(', ')]);
  for (const definition of OPERATIONS) for (const event of definition.events) add(event, code(definition.type));
  for (const effect of SCHEDULED_EFFECTS) for (const event of effect.events) add(event, `scheduler (${effect.table})`);
  add(transactionRejected, 'any rejected transaction');
  add(operationRejected, 'any failed line of a non-atomic transaction');
  add(approvalRequested, 'any transaction (or line of a bulk file) a policy holds back');
  return table(['event', 'emitted by', 'meaning', 'data'], rows);
}

export function operationsTable(): string {
  return table(['operation', 'family', 'what it does'], OPERATIONS.map((definition) => [code(definition.type), definition.family, definition.summary]));
}

/** The generated sections of each documentation file, by marker. */
export const GENERATED: Record<string, Record<string, () => string>> = {
  'docs/errors.md': { rejections: rejectionsTable, initiators: initiatorsTable, roles: rolesTable, 'api-errors': apiErrorsTable },
  'docs/api.md': { operations: operationsTable, events: eventsTable },
};

/** `text` with each marked section replaced by its rendering. */
export function render(text: string, sections: Record<string, () => string>): string {
  let out = text;
  for (const [marker, make] of Object.entries(sections)) {
    const pattern = new RegExp(`(<!-- ${marker}:start -->\\n)[\\s\\S]*?(<!-- ${marker}:end -->)`);
    if (!pattern.test(out)) throw new Error(`no <!-- ${marker}:start --> … <!-- ${marker}:end --> section`);
    out = out.replace(pattern, (_match, start: string, end: string) => `${start}${make()}\n${end}`);
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = new URL('../', import.meta.url);
  for (const [file, sections] of Object.entries(GENERATED)) {
    const path = new URL(file, root);
    const before = readFileSync(path, 'utf8');
    const after = render(before, sections);
    if (after !== before) writeFileSync(path, after);
    console.log(`${file}: ${after === before ? 'up to date' : 'rewritten'}`);
  }
}
