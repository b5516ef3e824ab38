import { Type } from 'typebox';
import { addChecked, formatAmount } from '../../amount.js';
import { obligationKey, type Account, type Asset, type InterbankObligation, type ParMember } from '../../entities/index.js';
import { operation, type OperationContext } from '../../operation.js';
import { Amount, Id } from '../../schema.js';
import type { Draft } from '../../state.js';
import { amountChecks, movementChecks } from '../checks.js';
import { withBalances } from '../effects.js';
import { isoTime } from '../instructions/calendar.js';
import { legsExist, payerConsents, payerHasFunds, resolveLegs, type Legs } from '../payments/legs.js';
import { dayOf } from '../policies/rules.js';
import { transferred } from '../payments/transfer.js';
import { paidAtPar } from './events.js';

/** Both banks' sides of a payment at par, looked up once both tokens are known. */
interface AtPar extends Legs {
  payeeAsset: Asset | undefined;
  payerBank: { member: ParMember; account: Account } | undefined;
  payeeBank: { member: ParMember; account: Account } | undefined;
  /** What the payer's bank owes the payee's bank today, and the reverse, before this payment. */
  owedMinor: bigint;
  owingMinor: bigint;
  dayMs: number;
}

function bankSide(draft: Draft, asset: Asset | undefined): AtPar['payerBank'] {
  const member = asset === undefined ? undefined : draft.get('par_members', asset.id);
  if (member === undefined) return undefined;
  const account = draft.get('accounts', member.settlementAccount);
  if (account === undefined) throw new Error(`invariant: par settlement account ${member.settlementAccount} of ${member.asset} is missing`);
  return { member, account };
}

function owed(draft: Draft, dayMs: number, debtorAsset: Asset | undefined, creditorAsset: Asset | undefined): bigint {
  if (debtorAsset === undefined || creditorAsset === undefined) return 0n;
  return draft.get('interbank_obligations', obligationKey(dayMs, debtorAsset.id, creditorAsset.id))?.amountMinor ?? 0n;
}

function resolve(ctx: OperationContext, op: { from: string; to: string; amount: string }): AtPar {
  const legs = resolveLegs(ctx, op);
  const payeeAsset = legs.payee === undefined ? undefined : ctx.draft.get('assets', legs.payee.asset);
  const dayMs = dayOf(ctx.blockTimeMs);
  return {
    ...legs, payeeAsset, dayMs,
    payerBank: bankSide(ctx.draft, legs.asset),
    payeeBank: bankSide(ctx.draft, payeeAsset),
    owedMinor: owed(ctx.draft, dayMs, legs.asset, payeeAsset),
    owingMinor: owed(ctx.draft, dayMs, payeeAsset, legs.asset),
  };
}

/** Why two tokens cannot be paid across at par, or null: one is a security, they are the same token or one bank's, or their currencies or scales differ. */
function mismatch(payer: Asset, payee: Asset): string | null {
  if (payer.id === payee.id) return `both accounts hold ${payer.id}: a transfer pays within one token`;
  if (payer.kind === 'security' || payee.kind === 'security') return `${payer.kind === 'security' ? payer.id : payee.id} is a security: only money settles at par`;
  if (payer.issuer === payee.issuer) return `${payer.id} and ${payee.id} are both issued by ${payer.issuer}: no other bank to settle with`;
  if (payer.code !== payee.code || payer.decimals !== payee.decimals) return `${payer.id} is ${payer.code} to ${payer.decimals} decimals, ${payee.id} is ${payee.code} to ${payee.decimals}: at par needs one currency at one scale`;
  return null;
}

/** Whether the payer's bank would owe the payee's bank, net over the day, more than the payee's bank accepts. */
function overCap(env: AtPar): boolean {
  const cap = env.payeeBank!.member.capMinor;
  return cap !== undefined && env.owedMinor + env.minor - env.owingMinor > cap;
}

/** Adds `delta` to an account's available balance, reading it afresh (the payer may be its bank's own settlement account). */
function credit(draft: Draft, id: string, delta: bigint): void {
  const account = draft.get('accounts', id)!;
  draft.put('accounts', id, { ...account, availableMinor: account.availableMinor + delta });
}

function recordObligation(draft: Draft, env: AtPar): InterbankObligation {
  const debtorAsset = env.asset!.id;
  const creditorAsset = env.payeeAsset!.id;
  const key = obligationKey(env.dayMs, debtorAsset, creditorAsset);
  const before = draft.get('interbank_obligations', key);
  const after: InterbankObligation = {
    dayMs: env.dayMs, debtorAsset, creditorAsset, debtor: env.asset!.issuer, creditor: env.payeeAsset!.issuer,
    amountMinor: (before?.amountMinor ?? 0n) + env.minor, payments: (before?.payments ?? 0) + 1,
  };
  draft.put('interbank_obligations', key, after);
  return after;
}

/**
 * A client of one bank pays a client of another in the same currency, atomically: the
 * payer's tokens go to its bank's settlement account, the payee's bank pays the payee from
 * its own, and the obligation between the banks grows by the amount, to be settled in
 * central-bank money outside the ledger (the day's net settlement report).
 */
export const transferAtPar = operation({
  family: 'par settlement',
  summary: "pay an account holding another bank's token of the same currency, at par, through the two banks' settlement accounts",
  schema: Type.Object({ type: Type.Literal('transfer_at_par'), from: Id, to: Id, amount: Amount }, { additionalProperties: false }),
  initiators: ['client', 'issuer'],
  consent: 'the owner of the paying account, or a delegate it named (the two banks consented when they joined par settlement)',
  events: [transferred, paidAtPar],
  describe: (op) => `pay ${op.amount} from ${op.from} to ${op.to} at par`,
}).resolve(resolve).define({
  checks: [
    legsExist(),
    amountChecks('amount', (env) => env.amount, (env) => env.asset, 'refused'),
    { code: 'asset_mismatch', field: 'to', fails: (env) => mismatch(env.asset!, env.payeeAsset!) !== null, explain: (env) => mismatch(env.asset!, env.payeeAsset!)! },
    payerConsents(),
    { code: 'par_settlement_unavailable', field: 'from', fails: (env) => env.payerBank === undefined, explain: (env) => `${env.asset!.issuer} has not joined ${env.asset!.id} to par settlement` },
    { code: 'par_settlement_unavailable', field: 'to', fails: (env) => env.payeeBank === undefined, explain: (env) => `${env.payeeAsset!.issuer} has not joined ${env.payeeAsset!.id} to par settlement` },
    movementChecks((env) => [env.payer!, env.payerBank!.account, env.payeeBank!.account, env.payee!], (env) => [env.asset!, env.payeeAsset!]),
    {
      code: 'par_cap_exceeded', field: 'amount', fails: overCap,
      explain: (env) => `${env.asset!.issuer} would owe ${env.payeeAsset!.issuer} ${formatAmount(env.owedMinor + env.minor - env.owingMinor, env.asset!.decimals)} net today; ${env.payeeAsset!.issuer} accepts at most ${formatAmount(env.payeeBank!.member.capMinor!, env.asset!.decimals)}`,
    },
    payerHasFunds(),
    { code: 'insufficient_funds', field: 'to', fails: (env) => env.payeeBank!.account.availableMinor < env.minor, explain: (env) => `${env.payeeAsset!.issuer}'s settlement account ${env.payeeBank!.account.id} has ${formatAmount(env.payeeBank!.account.availableMinor, env.payeeAsset!.decimals)} available` },
    {
      code: 'amount_overflow', field: 'amount',
      fails: (env) => addChecked(env.payee!.availableMinor, env.minor) === null || addChecked(env.payerBank!.account.availableMinor, env.minor) === null || addChecked(env.owedMinor, env.minor) === null,
      explain: (env) => `${env.payee!.id}'s balance, ${env.payerBank!.account.id}'s or the banks' obligation would pass the ledger's ceiling`,
    },
  ],
  apply: (ctx, _op, env) => {
    const payer = env.payer!;
    const payee = env.payee!;
    const inbound = env.payerBank!.account.id;
    const outbound = env.payeeBank!.account.id;
    const amount = formatAmount(env.minor, env.asset!.decimals);
    credit(ctx.draft, payer.id, -env.minor);
    credit(ctx.draft, inbound, env.minor);
    const paidIn = withBalances(ctx.draft, transferred.of({ from: payer.id, to: inbound, asset: env.asset!.id, amount }, { accounts: [payer.id, inbound] }));
    credit(ctx.draft, outbound, -env.minor);
    credit(ctx.draft, payee.id, env.minor);
    const paidOut = withBalances(ctx.draft, transferred.of({ from: outbound, to: payee.id, asset: env.payeeAsset!.id, amount }, { accounts: [outbound, payee.id] }));
    const obligation = recordObligation(ctx.draft, env);
    const paid = paidAtPar.of({
      from: payer.id, to: payee.id, amount, currency: env.asset!.code, fromAsset: env.asset!.id, toAsset: env.payeeAsset!.id,
      debtor: obligation.debtor, creditor: obligation.creditor, day: isoTime(env.dayMs).slice(0, 10),
    }, { accounts: [payer.id, payee.id], participants: [obligation.debtor, obligation.creditor] });
    return [paidIn, paidOut, withBalances(ctx.draft, paid)];
  },
  parties: (op, lookup) => {
    const assets = [lookup.assetOf(op.from), lookup.assetOf(op.to)];
    return [lookup.ownerOf(op.from), lookup.ownerOf(op.to), ...assets.map((asset) => (asset === undefined ? undefined : lookup.issuerOf(asset)))];
  },
  accounts: (op) => [op.from, op.to],
  debits: (_op, env) => [{ account: env.payer!, minor: env.minor, to: env.payee }],
});
