import type { Account, Asset, Hold } from '../../entities/index.js';
import type { Check, OperationContext } from '../../operation.js';
import { mustExist } from '../checks.js';

/** What a post or a void names: the hold, its two accounts and its asset. */
export interface HoldEnv {
  hold: Hold | undefined;
  payer: Account | undefined;
  payee: Account | undefined;
  asset: Asset | undefined;
}

export function resolveHold(ctx: OperationContext, id: string): HoldEnv {
  const hold = ctx.draft.get('holds', id);
  if (hold === undefined) return { hold, payer: undefined, payee: undefined, asset: undefined };
  return { hold, payer: ctx.draft.get('accounts', hold.payer), payee: ctx.draft.get('accounts', hold.payee), asset: ctx.draft.get('assets', hold.asset) };
}

export function holdExists<Op, Env extends HoldEnv>(): Check<Op, Env> {
  return mustExist('hold_not_found', 'hold', 'hold', (env) => env.hold);
}

/** A hold resolves at most once: posted or voided already, or expired (its time came, even if no block expired it yet). */
export function stillPending<Op, Env extends HoldEnv>(): Check<Op, Env>[] {
  return [
    { code: 'hold_already_resolved', field: 'hold', fails: (env) => env.hold!.status === 'posted' || env.hold!.status === 'voided', explain: (env) => `hold ${env.hold!.id} was ${env.hold!.status} already` },
    { code: 'hold_expired', field: 'hold', fails: (env, _op, ctx) => env.hold!.status === 'expired' || env.hold!.expiresAtMs <= ctx.blockTimeMs, explain: (env) => `hold ${env.hold!.id} expired and its funds returned to ${env.hold!.payer}` },
  ];
}

export function holdParties(hold: string, lookup: { ownerOf(account: string): string | undefined; holdAccounts(hold: string): { payer: string; payee: string } | undefined }): (string | undefined)[] {
  const accounts = lookup.holdAccounts(hold);
  return accounts === undefined ? [] : [lookup.ownerOf(accounts.payer), lookup.ownerOf(accounts.payee)];
}

export function holdAccountIds(hold: string, lookup: { holdAccounts(hold: string): { payer: string; payee: string } | undefined }): string[] {
  const accounts = lookup.holdAccounts(hold);
  return accounts === undefined ? [] : [accounts.payer, accounts.payee];
}
