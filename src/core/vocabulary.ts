/**
 * The ledger's closed lists of words, without their schemas: what the command line offers
 * as choices loads this module alone (the schema library is not needed to print help).
 */

export const KYC_STATUSES = ['pending', 'approved', 'rejected', 'suspended'] as const;
export type KycStatus = (typeof KYC_STATUSES)[number];

/** Why money is moved without its owner's consent (the grounds ERC-3643's forced transfer serves). */
export const FORCE_TRANSFER_REASONS = ['court_order', 'regulatory_seizure', 'sanctions_enforcement', 'fraud_recovery', 'error_correction'] as const;
export type ForceTransferReason = (typeof FORCE_TRANSFER_REASONS)[number];

export const ASSET_KINDS = ['deposit_token', 'stablecoin', 'security'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];
