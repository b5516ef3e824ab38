import type { Operation } from '../../src/core/index.js';
import type { Case } from './fixture.js';

/** Table cases for standing instructions: every code the family answers, and its precedence. */

type SetOp = Extract<Operation, { type: 'set_standing_instruction' }>;

const MONTHLY = { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0;BYSECOND=0', timeZone: 'Europe/London' };

/** Acme pays Globex 10.00 on the first of each month. */
export function monthly(extra: Partial<SetOp> = {}): SetOp {
  return { type: 'set_standing_instruction', instruction: 'rent', kind: 'pay', from: 'acme-usd', to: 'globex-usd', amount: '10.00', schedule: MONTHLY, ...extra } as SetOp;
}

/** `monthly()` with `extra`, and without `drop`. */
function reshaped(extra: Record<string, unknown>, ...drop: (keyof SetOp)[]): SetOp {
  const op: Record<string, unknown> = { ...monthly(), ...extra };
  for (const field of drop) delete op[field];
  return op as SetOp;
}

const sixteen: [string, Operation[]] = ['acme', Array.from({ length: 16 }, (_, i) => monthly({ instruction: `rent-${i}` }))];
const cancel = (instruction = 'rent'): Operation => ({ type: 'cancel_standing_instruction', instruction });

export const INSTRUCTION_CASES: Case[] = [
  { name: 'instruction: a monthly payment is set up', signers: 'acme', operations: [monthly()], expect: null },
  { name: 'instruction: a sweep on every payment', signers: 'acme', operations: [reshaped({ kind: 'sweep', keep: '100.00', onPayment: true }, 'amount', 'schedule')], expect: null },
  { name: 'instruction: a top-up by cron', signers: 'globex', operations: [{ type: 'set_standing_instruction', instruction: 'floor', kind: 'top_up', from: 'globex-usd', to: 'globex-usd-2', floor: '50.00', cap: '20.00', schedule: { cron: '0 8 * * 1-5' } }], given: [['operator', [{ type: 'open_account', account: 'globex-usd-2', owner: 'globex', asset: 'usd-fmb' }]]], expect: null },
  { name: 'instruction: a split of payments with a reference', signers: 'acme', operations: [{ type: 'set_standing_instruction', instruction: 'royalty', kind: 'split', from: 'acme-usd', to: 'initech-usd', reference: 'INV-2026', share: 1500 }], expect: null },
  { name: 'instruction: from an unknown account', signers: 'acme', operations: [monthly({ from: 'nope' })], expect: 'account_not_found' },
  { name: 'instruction: to an unknown account', signers: 'acme', operations: [monthly({ to: 'nope' })], expect: 'account_not_found' },
  { name: 'instruction: cancelling one there is not', signers: 'acme', operations: [cancel('nope')], expect: 'instruction_not_found' },
  { name: 'instruction: the id is taken', given: [['acme', [monthly()]]], signers: 'acme', operations: [monthly()], expect: 'already_exists' },
  { name: 'instruction: a zero payment', signers: 'acme', operations: [monthly({ amount: '0' })], expect: 'invalid_amount' },
  { name: 'instruction: an amount more precise than the asset', signers: 'acme', operations: [monthly({ amount: '1.001' })], expect: 'amount_too_precise' },
  { name: 'instruction: precedence: a malformed amount before the missing schedule', signers: 'acme', operations: [reshaped({ amount: 'ten' }, 'schedule')], expect: 'invalid_amount' },
  { name: 'instruction: a payment without its amount', signers: 'acme', operations: [reshaped({}, 'amount')], expect: 'invalid_instruction' },
  { name: 'instruction: a field its kind does not use', signers: 'acme', operations: [monthly({ keep: '5.00' })], expect: 'invalid_instruction' },
  { name: 'instruction: neither a schedule nor a trigger', signers: 'acme', operations: [reshaped({ kind: 'sweep', keep: '1.00' }, 'amount', 'schedule')], expect: 'invalid_instruction' },
  { name: 'instruction: an account paying itself', signers: 'acme', operations: [monthly({ to: 'acme-usd' })], expect: 'invalid_instruction' },
  { name: 'instruction: an RRULE that does not parse', signers: 'acme', operations: [monthly({ schedule: { rrule: 'every month' } })], expect: 'invalid_schedule' },
  { name: 'instruction: an RRULE with COUNT', signers: 'acme', operations: [monthly({ schedule: { rrule: 'FREQ=DAILY;COUNT=3' } })], expect: 'invalid_schedule' },
  { name: 'instruction: a schedule that ended', signers: 'acme', operations: [monthly({ schedule: { rrule: 'FREQ=DAILY;UNTIL=20200101T000000Z' } })], expect: 'invalid_schedule' },
  { name: 'instruction: an hourly RRULE (intraday runs are a daily rule with BYHOUR, or cron)', signers: 'acme', operations: [monthly({ schedule: { rrule: 'FREQ=HOURLY;INTERVAL=5' } })], expect: 'invalid_schedule' },
  { name: 'instruction: an RRULE that matches no day (rrule would walk to the year 9999)', signers: 'acme', operations: [monthly({ schedule: { rrule: 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30' } })], expect: 'invalid_schedule' },
  { name: 'instruction: a set position that may match nothing', signers: 'acme', operations: [monthly({ schedule: { rrule: 'FREQ=MONTHLY;BYDAY=MO;BYMONTHDAY=1;BYSETPOS=4' } })], expect: 'invalid_schedule' },
  { name: 'instruction: a schedule whose dates are more than 400 days apart', signers: 'acme', operations: [monthly({ schedule: { rrule: 'FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=1' } })], expect: 'invalid_schedule' },
  { name: 'instruction: a cron every minute', signers: 'acme', operations: [monthly({ schedule: { cron: '* * * * *' } })], expect: 'invalid_schedule' },
  { name: 'instruction: an unknown time zone', signers: 'acme', operations: [monthly({ schedule: { cron: '0 9 1 * *', timeZone: 'Mars/Olympus' } })], expect: 'invalid_schedule' },
  { name: 'instruction: both an RRULE and a cron', signers: 'acme', operations: [monthly({ schedule: { cron: '0 9 1 * *', rrule: 'FREQ=DAILY' } })], expect: 'invalid_schedule' },
  { name: 'instruction: accounts of different assets', signers: 'acme', operations: [monthly({ to: 'globex-sgd' })], expect: 'asset_mismatch' },
  { name: "instruction: from another's account", signers: 'globex', operations: [monthly()], expect: 'not_authorized' },
  { name: "instruction: a top-up of another's account", signers: 'acme', operations: [{ type: 'set_standing_instruction', instruction: 'floor', kind: 'top_up', from: 'acme-usd', to: 'globex-usd', floor: '50.00', cap: '20.00', onPayment: true }], expect: 'not_authorized' },
  { name: "instruction: cancelling another's", given: [['acme', [monthly()]]], signers: 'globex', operations: [cancel()], expect: 'not_authorized' },
  { name: 'instruction: cancelling one already cancelled', given: [['acme', [monthly()]], ['acme', [cancel()]]], signers: 'acme', operations: [cancel()], expect: 'instruction_closed' },
  { name: 'instruction: a seventeenth on one account', given: [sixteen], signers: 'acme', operations: [monthly({ instruction: 'rent-16' })], expect: 'instruction_limit_reached' },
  { name: 'instruction: sixteen on one account in one transaction, and one more', signers: 'acme', operations: [...(sixteen[1] as SetOp[]), monthly({ instruction: 'rent-16' })], expect: 'instruction_limit_reached', operation: 16 },
];
