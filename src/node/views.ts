import type { DisclosedTransaction, EventRecord, TransactionEnvelope } from '../chain/index.js';
import { formatAmount, type Account, type Asset, type Hold, type Participant } from '../core/index.js';
import type { StoredTransaction } from '../store/types.js';

/** The JSON the ledger shows for each thing: amounts as decimal strings in the asset's unit. */

export function accountView(account: Account, asset: Asset) {
  return {
    id: account.id,
    owner: account.owner,
    asset: account.asset,
    available: formatAmount(account.availableMinor, asset.decimals),
    held: formatAmount(account.heldMinor, asset.decimals),
    frozen: account.frozen,
  };
}

export function assetView(asset: Asset) {
  const { id, kind, code, decimals, issuer, paused } = asset;
  return {
    id, kind, code, decimals, issuer, paused,
    issued: formatAmount(asset.issuedMinor, decimals),
    redeemed: formatAmount(asset.redeemedMinor, decimals),
    supply: formatAmount(asset.issuedMinor - asset.redeemedMinor, decimals),
  };
}

export function holdView(hold: Hold, asset: Asset) {
  const { id, payer, payee, expiresAtMs, status } = hold;
  return {
    id, asset: asset.id, payer, payee, expiresAtMs, status,
    amount: formatAmount(hold.amountMinor, asset.decimals),
    posted: formatAmount(hold.postedMinor, asset.decimals),
  };
}

/** The directory entry everyone may read; KYC details only for the participant itself and overseers. */
export function participantView(participant: Participant, detailed: boolean) {
  const { id, legalName, lei, jurisdiction, roles } = participant;
  const directory = { id, legalName, lei, jurisdiction, roles };
  if (!detailed) return directory;
  return { ...directory, kycStatus: participant.kycStatus, kycExpiresAtMs: participant.kycExpiresAtMs, keys: participant.keys, delegates: participant.delegates };
}

/**
 * A transaction as one viewer may see it: whole (`envelope`) for whoever sent or signed
 * it and for overseers; otherwise `disclosed`, the operations that do not concern the
 * viewer withheld (their digests kept, so the hash and the proofs still check).
 */
export function transactionView(tx: StoredTransaction, shown: TransactionEnvelope | DisclosedTransaction) {
  const whole = 'salt' in shown.body;
  return {
    hash: tx.hash, height: tx.height, position: tx.position, result: tx.result, signers: tx.signers,
    ...(whole ? { envelope: shown as TransactionEnvelope } : { disclosed: shown as DisclosedTransaction }),
  };
}

/** An event as the feed serves it: its position as one string, then what happened. */
export function eventView(event: EventRecord) {
  const { height, index, n, ...rest } = event;
  return { position: `${height}:${index}:${n}`, height, ...rest };
}
