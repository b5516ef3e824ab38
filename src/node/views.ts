import type { DisclosedTransaction, EventRecord, TransactionEnvelope } from '../chain/index.js';
import { dayOf, describeOperation, formatAmount, lockedMinor, missingAttestations, upcoming as upcomingDates, type Account, type AccountPolicy, type Asset, type ConditionalPayment, type Hold, type Operation, type Participant, type Proposal, type Settlement, type StandingInstruction, type LedgerState } from '../core/index.js';
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

/** The attestations a reserves view lists: a year of daily reports. */
const ATTESTATIONS_SHOWN = 366;

/** An asset's reserve mandate and its latest attestations (newest first), and (for insiders) its minters' allowances. */
export function reservesView(state: LedgerState, asset: Asset, insider: boolean) {
  const amount = (minor: bigint) => formatAmount(minor, asset.decimals);
  const mandate = state.reserve_mandates.get(asset.id);
  const throttle = mandate?.throttle;
  const attestations = [...state.reserve_attestations.values()].filter((a) => a.asset === asset.id).sort((a, b) => b.attestedAtMs - a.attestedAtMs || (a.report < b.report ? 1 : -1)).slice(0, ATTESTATIONS_SHOWN).map((a) => ({
    report: a.report, reportHash: a.reportHash, holdingsRoot: a.holdingsRoot, holdings: a.holdings, reserves: amount(a.reservesMinor), supply: amount(a.supplyMinor),
    supplyAtAttestation: amount(a.supplyAtAttestationMinor), covered: a.reservesMinor >= a.supplyMinor && a.reservesMinor >= a.supplyAtAttestationMinor, attestedBy: a.attestedBy, attestedAtMs: a.attestedAtMs,
  }));
  const minters = !insider ? undefined : [...state.indexed('allowances', asset.id)].sort().flatMap((key) => {
    const allowance = state.allowances.get(key);
    return allowance === undefined ? [] : [{ minter: allowance.minter, remaining: amount(allowance.remainingMinor), withheld: amount(allowance.withheldMinor ?? 0n) }];
  });
  return {
    asset: asset.id, supply: amount(asset.issuedMinor - asset.redeemedMinor), manager: mandate?.manager ?? null,
    throttle: throttle === undefined ? null : { ceiling: amount(throttle.ceilingMinor), reason: throttle.reason, sinceMs: throttle.sinceMs },
    attestations, ...(minters === undefined ? {} : { minters }),
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

/** A conditional payment with, per tranche, what it still waits for (at `atMs`, the ledger's time). */
export function conditionalView(payment: ConditionalPayment, asset: Asset, atMs: number) {
  const amount = (minor: bigint) => formatAmount(minor, asset.decimals);
  const released = payment.tranches.reduce((sum, t) => (t.status === 'released' ? sum + t.amountMinor : sum), 0n);
  return {
    id: payment.id, asset: asset.id, payer: payment.payer, payee: payment.payee, amount: amount(payment.amountMinor),
    locked: amount(payment.status === 'active' ? lockedMinor(payment) : 0n), released: amount(released), awarded: amount(payment.awardedMinor), deadlineMs: payment.deadlineMs,
    autoRelease: payment.autoRelease, arbiter: payment.arbiter, disputedBy: payment.disputedBy, status: payment.status,
    tranches: payment.tranches.map((t) => ({
      id: t.id, amount: amount(t.amountMinor), status: t.status, approvers: t.approvers, approvalsRequired: t.approvalsRequired, approvals: t.approvals,
      attestations: t.attestations, attested: t.attested, notBeforeMs: t.notBeforeMs, deferred: t.deferred,
      waitingFor: {
        approvals: Math.max(0, t.approvalsRequired - t.approvals.length),
        attestations: missingAttestations(t),
        untilMs: t.notBeforeMs !== null && t.notBeforeMs > atMs ? t.notBeforeMs : null,
      },
    })),
  };
}

/** A settlement with its legs and who still has to act. */
export function settlementView(settlement: Settlement, assets: (id: string) => Asset, owners: (account: string) => string) {
  return {
    id: settlement.id, proposer: settlement.proposer, settlers: settlement.settlers, deadlineMs: settlement.deadlineMs, status: settlement.status,
    legs: settlement.legs.map((leg, index) => ({ leg: index, from: leg.from, to: leg.to, asset: leg.asset, amount: formatAmount(leg.amountMinor, assets(leg.asset).decimals), allocated: leg.allocated, approved: leg.approved })),
    waitingFor: settlement.status !== 'proposed' ? [] : settlement.legs.flatMap((leg, i) => [
      ...(leg.allocated ? [] : [`${owners(leg.from)} to allocate leg ${i}`]),
      ...(leg.approved ? [] : [`${owners(leg.to)} to approve leg ${i}`]),
    ]),
  };
}

/**
 * A participant in the directory: its public keys are for everyone (whoever checks a
 * signature, a module's own server among them, needs them); KYC status and delegates only
 * for itself and overseers.
 */
export function participantView(participant: Participant, detailed: boolean) {
  const { id, legalName, lei, jurisdiction, roles, keys } = participant;
  const directory = { id, legalName, lei, jurisdiction, roles, keys };
  if (!detailed) return directory;
  return { ...directory, kycStatus: participant.kycStatus, kycExpiresAtMs: participant.kycExpiresAtMs, delegates: participant.delegates };
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

/** A proposal: what it would do (as signed, and in words), each requirement with the approvals it has, and who may still approve. */
export function proposalView(proposal: Proposal) {
  const given = new Set(proposal.approvals);
  const requirements = proposal.requirements.map(({ rule, approvers, required }) => ({ rule, approvers, required, approvals: approvers.filter((approver) => given.has(approver)).length }));
  return {
    id: proposal.id, proposer: proposal.proposer, status: proposal.status, createdAtMs: proposal.createdAtMs, expiresAtMs: proposal.expiresAtMs,
    operations: proposal.operations as Operation[], described: (proposal.operations as Operation[]).map((op) => describeOperation(op)),
    requirements, approvals: proposal.approvals, rejectedBy: proposal.rejectedBy,
    waitingFor: proposal.status !== 'pending' ? [] : requirements.filter((r) => r.approvals < r.required).map((r) => `${r.required - r.approvals} more of ${r.approvers.filter((a) => !given.has(a)).join(', ')} (${r.rule})`),
  };
}

/** An account's policy, amounts in the asset's unit. */
export function accountPolicyView(policy: AccountPolicy, asset: Asset, atMs: number) {
  const amount = (minor: bigint) => formatAmount(minor, asset.decimals);
  return {
    account: policy.account, approvers: policy.approvers, approvalsRequired: policy.approvalsRequired, approvalAbove: amount(policy.approvalAboveMinor),
    perPaymentLimit: policy.perPaymentLimitMinor === undefined ? null : amount(policy.perPaymentLimitMinor),
    dailyLimit: policy.dailyLimitMinor === undefined ? null : amount(policy.dailyLimitMinor),
    counterparties: policy.counterparties ?? null, approvalWindowMs: policy.approvalWindowMs,
    spentToday: amount(policy.spentDayMs === dayOf(atMs) ? policy.spentMinor : 0n),
  };
}

/** How many of an instruction's next dates its view lists. */
const UPCOMING_SHOWN = 5;

/** A standing instruction: what it does (amounts in the asset's unit), when it runs next, and how its runs went. */
export function instructionView(instruction: StandingInstruction, asset: Asset) {
  const amount = (minor: bigint | undefined) => (minor === undefined ? undefined : formatAmount(minor, asset.decimals));
  const upcoming = instruction.status !== 'active' || instruction.schedule === undefined || instruction.nextRunAtMs === null ? []
    : [instruction.nextRunAtMs, ...upcomingDates(instruction.schedule, instruction.nextRunAtMs, instruction.nextRunAtMs, UPCOMING_SHOWN - 1)];
  const terms = { amount: amount(instruction.amountMinor), keep: amount(instruction.keepMinor), floor: amount(instruction.floorMinor), cap: amount(instruction.capMinor), reference: instruction.reference, share: instruction.shareBps };
  return {
    id: instruction.id, owner: instruction.owner, kind: instruction.kind, from: instruction.from, to: instruction.to,
    ...Object.fromEntries(Object.entries(terms).filter(([, value]) => value !== undefined)),
    ...(instruction.schedule !== undefined && { schedule: instruction.schedule }),
    onPayment: instruction.onPayment, status: instruction.status, nextRunAtMs: instruction.nextRunAtMs, upcoming,
    armed: instruction.armedAtMs !== null, pending: formatAmount(instruction.pendingMinor, asset.decimals),
    runs: instruction.runs, failures: instruction.failures, maxFailures: instruction.maxFailures, createdAtMs: instruction.createdAtMs,
  };
}
