import type { BlockRecords } from '../chain/index.js';
import { formatAmount, parseAmount, type LedgerState } from '../core/index.js';

/** A reconciliation attestation whose supply at the cut-off is not what the chain says. */
export interface AttestationDisagreement {
  readonly asset: string;
  readonly statement: string;
  readonly attestedSupply: string;
  readonly chainSupply: string;
}

export interface AttestationFindings {
  readonly checked: number;
  readonly disagreements: readonly AttestationDisagreement[];
}

/**
 * Sets every reconciliation attestation on the chain against the chain itself: the supply
 * an issuer attested at a statement's cut-off must be the supply after the last block of
 * time at or before the cut-off. Fed block by block by the verifier's replay (the supply
 * of each asset is kept when a block mints or redeems it), so an auditor checks supply =
 * deposits from the chain alone.
 */
export class AttestationCheck {
  /** Per asset, the supply after each block that changed it: times ascending. */
  private readonly timeline = new Map<string, { timeMs: number; minor: bigint }[]>();
  private checked = 0;
  private readonly disagreements: AttestationDisagreement[] = [];

  afterBlock(state: LedgerState, records: BlockRecords): void {
    for (const event of records.events) {
      if (event.type === 'issued' || event.type === 'redeemed') {
        const asset = state.assets.get(String(event.data['asset']));
        if (asset === undefined) continue;
        const points = this.timeline.get(asset.id) ?? [];
        const minor = asset.issuedMinor - asset.redeemedMinor;
        if (points.at(-1)?.timeMs === event.timeMs) points[points.length - 1] = { timeMs: event.timeMs, minor };
        else points.push({ timeMs: event.timeMs, minor });
        this.timeline.set(asset.id, points);
      } else if (event.type === 'reconciliation_attested') {
        this.check(state, event.data, event.timeMs);
      }
    }
  }

  findings(): AttestationFindings {
    return { checked: this.checked, disagreements: this.disagreements };
  }

  private check(state: LedgerState, data: Record<string, unknown>, attestedAtMs: number): void {
    const assetId = String(data['asset']);
    const asset = state.assets.get(assetId);
    if (asset === undefined) return;
    this.checked += 1;
    const cutoff = Number(data['cutoffMs']);
    const disagree = (chainSupply: string) => this.disagreements.push({ asset: assetId, statement: String(data['statement']), attestedSupply: String(data['supply']), chainSupply });
    // A cut-off later than the attestation speaks of a supply the chain did not have yet.
    if (cutoff > attestedAtMs) return void disagree('unknown: the cut-off is after the attestation');
    const attested = parseAmount(String(data['supply']), asset.decimals);
    const chain = this.supplyAt(assetId, cutoff);
    if (!attested.ok || attested.minor !== chain) disagree(formatAmount(chain, asset.decimals));
  }

  /** The supply after the last block at or before `timeMs` that changed it (zero before any). */
  private supplyAt(asset: string, timeMs: number): bigint {
    const points = this.timeline.get(asset) ?? [];
    let low = 0;
    let high = points.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (points[mid]!.timeMs <= timeMs) low = mid + 1;
      else high = mid;
    }
    return low === 0 ? 0n : points[low - 1]!.minor;
  }
}

/** The verifier's line about attestations, or null when there are none. */
export function describeAttestations(findings: AttestationFindings): string | null {
  if (findings.checked === 0) return null;
  if (findings.disagreements.length === 0) return `reconciliation attestations: ${findings.checked}, each attested supply is the chain's at its cut-off`;
  return [`reconciliation attestations: ${findings.disagreements.length} of ${findings.checked} DISAGREE with the chain:`,
    ...findings.disagreements.map((d) => `  ${d.asset} statement ${d.statement}: attested supply ${d.attestedSupply}, the chain's at the cut-off ${d.chainSupply}`)].join('\n');
}
