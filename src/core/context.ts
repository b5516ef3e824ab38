import { parseAmount } from './amount.js';
import type { RejectionCode } from './codes.js';
import type { Draft } from './state.js';
import type { Account, Asset, Participant, Role } from './types.js';

/** What one operation sees: the transaction's draft, who signed it, and the block time. */
export interface OperationContext {
  readonly draft: Draft;
  readonly sender: string;
  /** Participants whose signatures on the transaction were verified before it reached the core. */
  readonly signers: ReadonlySet<string>;
  readonly blockTimeMs: number;
  /** Accounts the transaction touches, for per-account history. */
  readonly accounts: Set<string>;
  /** Participants the transaction concerns, who may see it. */
  readonly parties: Set<string>;
}

/** An operation either fails with a code or returns null, having written its effects to the draft. */
export type OperationOutcome = RejectionCode | null;

export function hasRole(participant: Participant | undefined, role: Role): boolean {
  return participant !== undefined && participant.roles.includes(role);
}

/** Whether any signer holds `role`. */
export function signedByRole(ctx: OperationContext, role: Role): boolean {
  for (const signer of ctx.signers) if (hasRole(ctx.draft.get('participants', signer), role)) return true;
  return false;
}

/** Whether the transaction is signed by `owner` or by a delegate `owner` has named. */
export function actsFor(ctx: OperationContext, owner: string): boolean {
  if (ctx.signers.has(owner)) return true;
  const participant = ctx.draft.get('participants', owner);
  return participant !== undefined && participant.delegates.some((delegate) => ctx.signers.has(delegate));
}

/** Null when the participant may move money now, else the KYC rejection. */
export function kycRejection(participant: Participant | undefined, blockTimeMs: number): RejectionCode | null {
  if (participant === undefined || participant.kycStatus !== 'approved') return 'kyc_not_approved';
  if (participant.kycExpiresAtMs !== null && participant.kycExpiresAtMs <= blockTimeMs) return 'kyc_expired';
  return null;
}

export type AmountOrCode = { minor: bigint } | { code: RejectionCode };

/** A strictly positive amount of `asset`, or why the text is not one. */
export function positiveAmount(text: string, asset: Asset): AmountOrCode {
  const parsed = parseAmount(text, asset.decimals);
  if (!parsed.ok) {
    const codes = { format: 'invalid_amount', precision: 'amount_too_precise', overflow: 'amount_overflow' } as const;
    return { code: codes[parsed.reason] };
  }
  return parsed.minor === 0n ? { code: 'invalid_amount' } : { minor: parsed.minor };
}

/** Looks up an account with its asset; the asset of an existing account always exists. */
export function accountWithAsset(ctx: OperationContext, id: string): { account: Account; asset: Asset } | undefined {
  const account = ctx.draft.get('accounts', id);
  if (account === undefined) return undefined;
  const asset = ctx.draft.get('assets', account.asset);
  if (asset === undefined) throw new Error(`invariant: account ${id} refers to missing asset ${account.asset}`);
  return { account, asset };
}

/** Records an account and its owner as concerned by the transaction. */
export function touch(ctx: OperationContext, account: Account): void {
  ctx.accounts.add(account.id);
  ctx.parties.add(account.owner);
}
