import type { Operation } from '../../src/core/index.js';
import type { Case } from './fixture.js';

/** Table cases for par settlement: every code its two operations answer, and their precedence. */

type Given = NonNullable<Case['given']>;

const joinFmb: Operation = { type: 'join_par_settlement', asset: 'usd-fmb', settlementAccount: 'first-meridian-usd' };
const joinScb = (extra: { cap?: string } = {}): Operation => ({ type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'straits-bank-usd-scb', ...extra });
const fundScb: Operation = { type: 'issue', account: 'straits-bank-usd-scb', amount: '500.00', depositReference: 'LIQ-SCB' };

/** Both US dollar tokens at par; Straits Commerce Bank's settlement account holds 500.00 of its own. */
const bothJoined: Given = [['first-meridian', [joinFmb]], ['straits-bank', [joinScb(), fundScb]]];

const pay = (amount = '10.00', extra: Partial<{ from: string; to: string }> = {}): Operation => ({ type: 'transfer_at_par', from: 'acme-usd', to: 'globex-usd-scb', amount, ...extra });

export const PAR_CASES: Case[] = [
  { name: 'par: an issuer joins with a cap', signers: 'straits-bank', operations: [joinScb({ cap: '1000.00' })], expect: null },
  { name: 'par: joining again changes the cap', given: [['straits-bank', [joinScb({ cap: '1000.00' })]]], signers: 'straits-bank', operations: [joinScb()], expect: null },
  { name: 'par: joining an unknown asset', signers: 'straits-bank', operations: [{ type: 'join_par_settlement', asset: 'nope', settlementAccount: 'straits-bank-usd-scb' }], expect: 'asset_not_found' },
  { name: 'par: joining with an unknown settlement account', signers: 'straits-bank', operations: [{ type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'nope' }], expect: 'account_not_found' },
  { name: 'par: a cap more precise than the token', signers: 'straits-bank', operations: [joinScb({ cap: '1.001' })], expect: 'amount_too_precise' },
  { name: 'par: a security does not settle at par', signers: 'meridian-custody', operations: [{ type: 'join_par_settlement', asset: 'bond-2030', settlementAccount: 'meridian-custody-bond' }], expect: 'asset_mismatch' },
  { name: 'par: a settlement account of another token', signers: 'straits-bank', operations: [{ type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'straits-bank-sgd' }], expect: 'asset_mismatch' },
  { name: "par: joining another bank's token", signers: 'first-meridian', operations: [joinScb()], expect: 'not_authorized' },
  { name: "par: a client's account as the settlement account", signers: 'straits-bank', operations: [{ type: 'join_par_settlement', asset: 'usd-scb', settlementAccount: 'globex-usd-scb' }], expect: 'not_authorized' },
  { name: 'par: a client may not join', signers: 'acme', operations: [joinFmb], expect: 'not_authorized' },

  { name: "par: acme pays a client of the other bank", given: bothJoined, signers: 'acme', operations: [pay()], expect: null },
  { name: 'par: from an unknown account', given: bothJoined, signers: 'acme', operations: [pay('10.00', { from: 'nope' })], expect: 'account_not_found' },
  { name: 'par: to an unknown account', given: bothJoined, signers: 'acme', operations: [pay('10.00', { to: 'nope' })], expect: 'account_not_found' },
  { name: 'par: a zero payment', given: bothJoined, signers: 'acme', operations: [pay('0.00')], expect: 'invalid_amount' },
  { name: 'par: more decimals than the token', given: bothJoined, signers: 'acme', operations: [pay('1.001')], expect: 'amount_too_precise' },
  { name: 'par: within one token a transfer pays', given: bothJoined, signers: 'acme', operations: [pay('10.00', { to: 'globex-usd' })], expect: 'asset_mismatch' },
  { name: 'par: US dollars to Singapore dollars', given: bothJoined, signers: 'acme', operations: [pay('10.00', { to: 'globex-sgd' })], expect: 'asset_mismatch' },
  { name: 'par: two tokens of one bank', given: bothJoined, signers: 'globex', operations: [pay('10.00', { from: 'globex-sgd', to: 'acme-usd-scb' })], expect: 'asset_mismatch' },
  { name: 'par: money to a bond account', given: bothJoined, signers: 'acme', operations: [pay('10.00', { to: 'globex-bond' })], expect: 'asset_mismatch' },
  { name: "par: paying from another's account", given: bothJoined, signers: 'globex', operations: [pay()], expect: 'not_authorized' },
  { name: "par: the payee's bank has not joined", given: [['first-meridian', [joinFmb]]], signers: 'acme', operations: [pay()], expect: 'par_settlement_unavailable' },
  { name: "par: the payer's bank has not joined", given: [['straits-bank', [joinScb(), fundScb]]], signers: 'acme', operations: [pay()], expect: 'par_settlement_unavailable' },
  { name: 'par: precedence: paying from another account before a bank that has not joined', signers: 'globex', operations: [pay()], expect: 'not_authorized' },
  { name: "par: the payee bank's settlement account is frozen", given: [...bothJoined, ['operator', [{ type: 'freeze_account', account: 'straits-bank-usd-scb' }]]], signers: 'acme', operations: [pay()], expect: 'account_frozen' },
  { name: "par: the payee's token is paused", given: [...bothJoined, ['straits-bank', [{ type: 'pause_asset', asset: 'usd-scb' }]]], signers: 'acme', operations: [pay()], expect: 'asset_paused' },
  { name: "par: past the payee bank's cap", given: [['first-meridian', [joinFmb]], ['straits-bank', [joinScb({ cap: '50.00' }), fundScb]]], signers: 'acme', operations: [pay('50.01')], expect: 'par_cap_exceeded' },
  { name: 'par: up to the cap', given: [['first-meridian', [joinFmb]], ['straits-bank', [joinScb({ cap: '50.00' }), fundScb]]], signers: 'acme', operations: [pay('50.00')], expect: null },
  { name: 'par: more than the payer holds', given: bothJoined, signers: 'acme', operations: [pay('1000.01')], expect: 'insufficient_funds' },
  { name: "par: more than the payee bank's settlement account holds", given: bothJoined, signers: 'acme', operations: [pay('500.01')], expect: 'insufficient_funds' },
  { name: 'par: precedence: the cap before the funds', given: [['first-meridian', [joinFmb]], ['straits-bank', [joinScb({ cap: '50.00' }), fundScb]]], signers: 'acme', operations: [pay('2000.00')], expect: 'par_cap_exceeded' },
];
