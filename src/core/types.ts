/** The ledger's entities and the transactions that change them. */

export const ROLES = ['operator', 'issuer', 'compliance', 'auditor', 'client'] as const;
export type Role = (typeof ROLES)[number];

export const KYC_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

export const ASSET_KINDS = ['deposit_token', 'stablecoin', 'security'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** A registered Ed25519 public key: raw 32 bytes, base64url. */
export interface PublicKeyEntry {
  readonly id: string;
  readonly publicKey: string;
}

export interface Participant {
  readonly id: string;
  readonly legalName: string;
  readonly lei: string;
  readonly jurisdiction: string;
  readonly roles: readonly Role[];
  readonly kycStatus: KycStatus;
  /** Null when the approval does not lapse. */
  readonly kycExpiresAtMs: number | null;
  readonly keys: readonly PublicKeyEntry[];
  /** Participants allowed to sign for this one (a gateway acting for its users). */
  readonly delegates: readonly string[];
}

export interface Asset {
  readonly id: string;
  readonly kind: AssetKind;
  /** ISO 4217 currency code for money, ISIN for a security. */
  readonly code: string;
  readonly decimals: number;
  readonly issuer: string;
  readonly paused: boolean;
  readonly issuedMinor: bigint;
  readonly redeemedMinor: bigint;
}

export interface Account {
  readonly id: string;
  readonly owner: string;
  readonly asset: string;
  readonly availableMinor: bigint;
  readonly heldMinor: bigint;
  readonly frozen: boolean;
}

export type HoldStatus = 'pending' | 'posted' | 'voided' | 'expired';

/** Funds reserved on the payer's account toward a payee until posted, voided or expired. */
export interface Hold {
  readonly id: string;
  readonly asset: string;
  readonly payer: string;
  readonly payee: string;
  readonly amountMinor: bigint;
  readonly postedMinor: bigint;
  readonly expiresAtMs: number;
  readonly status: HoldStatus;
}

/** What a minter may still issue of an asset (Circle-style: issuing spends it). */
export interface Allowance {
  readonly asset: string;
  readonly minter: string;
  readonly remainingMinor: bigint;
}

/** A participant as registered by an operation; amounts are absent, so this is plain JSON. */
export interface ParticipantSpec {
  id: string;
  legalName: string;
  lei: string;
  jurisdiction: string;
  roles: Role[];
  kycStatus: KycStatus;
  kycExpiresAtMs?: number | null;
  keys: PublicKeyEntry[];
  delegates?: string[];
}

export interface ParticipantChanges {
  legalName?: string;
  jurisdiction?: string;
  roles?: Role[];
  kycStatus?: KycStatus;
  kycExpiresAtMs?: number | null;
  keys?: PublicKeyEntry[];
  delegates?: string[];
}

/** Operations as they are signed: amounts are decimal strings in the asset's major unit. */
export type Operation =
  | { type: 'register_participant'; participant: ParticipantSpec }
  | { type: 'update_participant'; participant: string; changes: ParticipantChanges }
  | { type: 'define_asset'; asset: string; kind: AssetKind; code: string; decimals: number; issuer: string }
  | { type: 'pause_asset'; asset: string }
  | { type: 'unpause_asset'; asset: string }
  | { type: 'open_account'; account: string; owner: string; asset: string }
  | { type: 'freeze_account'; account: string }
  | { type: 'unfreeze_account'; account: string }
  | { type: 'configure_minter'; asset: string; minter: string; allowance: string }
  | { type: 'issue'; account: string; amount: string; depositReference: string }
  | { type: 'redeem'; account: string; amount: string; payoutReference: string }
  | { type: 'transfer'; from: string; to: string; amount: string }
  | { type: 'hold'; hold: string; from: string; to: string; amount: string; expiresAtMs: number }
  | { type: 'post'; hold: string; amount?: string }
  | { type: 'void'; hold: string };

export type OperationType = Operation['type'];

/** What the initiator signs. `id` is chosen by the sender and commits at most once. */
export interface TransactionBody {
  network: string;
  id: string;
  sender: string;
  validUntilMs: number;
  operations: Operation[];
  /**
   * True (the default): all operations apply or none does. False: each applies or fails
   * on its own, like the payments of a bulk file (pain.001); the result lists the failures.
   */
  atomic?: boolean;
  /** ISO 20022 end-to-end id or UETR of the payment this settles. */
  reference?: string;
  memo?: string;
}
