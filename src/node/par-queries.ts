import { dayOf, formatAmount, obligationDayKey, type InterbankObligation, type LedgerState } from '../core/index.js';
import { LedgerError } from './errors.js';
import { actsAs, type Viewer } from './visibility.js';

const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 00:00 UTC of a YYYY-MM-DD day, or undefined when it is not a real calendar day. */
export function parseDay(text: string): number | undefined {
  const match = ISO_DAY.exec(text);
  if (match === null) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().slice(0, 10) === text ? ms : undefined;
}

/** Two banks' obligations to each other over a day in one currency, set against each other. */
interface Pair {
  forward: InterbankObligation | undefined;
  backward: InterbankObligation | undefined;
}

/**
 * Par settlement as the banks and the overseers see it: who settles at par through which
 * account, and each day's net positions between banks, to settle in central-bank money
 * outside the ledger. Read from the in-memory state.
 */
export class ParQueries {
  constructor(private readonly state: () => LedgerState, private readonly headTimeMs: () => number) {}

  /** Who settles at par: a directory fact, open to every participant, like the list of assets. */
  members() {
    const state = this.state();
    const members = [...state.par_members.values()].sort((a, b) => (a.asset < b.asset ? -1 : 1));
    return {
      data: members.map((member) => {
        const asset = state.assets.get(member.asset)!;
        return {
          asset: member.asset, issuer: member.issuer, currency: asset.code, settlementAccount: member.settlementAccount,
          cap: member.capMinor === undefined ? null : formatAmount(member.capMinor, asset.decimals), joinedAtMs: member.joinedAtMs,
        };
      }),
      has_more: false,
    };
  }

  /**
   * The day's net settlement report: for each pair of banks and currency, what each owes
   * the other, the net and who pays it. A bank sees the pairs it is in; an overseer every
   * pair. The day is final once a block of a later day is committed: no payment can
   * land in it any more.
   */
  net(viewer: Viewer, day: string | undefined) {
    if (!viewer.seesAll && !viewer.participant.roles.includes('issuer')) throw new LedgerError('forbidden', `${viewer.participant.id} is not a bank: the net settlement report is for the banks settling at par and the ledger's overseers`, 'day');
    const dayMs = day === undefined ? dayOf(this.headTimeMs()) : parseDay(day);
    if (dayMs === undefined) throw new LedgerError('invalid_request', `day ${JSON.stringify(day)} is not a calendar day as YYYY-MM-DD`, 'day');
    const state = this.state();
    const positions = [...this.pairs(state, dayMs).values()]
      .filter((pair) => viewer.seesAll || this.isParty(viewer, state, pair))
      .map((pair) => this.position(state, pair))
      .sort((a, b) => (a.currency + a.bankA + a.bankB < b.currency + b.bankA + b.bankB ? -1 : 1));
    return { day: new Date(dayMs).toISOString().slice(0, 10), fromMs: dayMs, untilMs: dayMs + DAY_MS, final: this.headTimeMs() >= dayMs + DAY_MS, positions };
  }

  /** Whether the viewer is (or acts for) one of the pair's two banks. */
  private isParty(viewer: Viewer, state: LedgerState, pair: Pair): boolean {
    const { debtor, creditor } = (pair.forward ?? pair.backward)!;
    return actsAs(viewer, debtor, state) || actsAs(viewer, creditor, state);
  }

  /** The day's obligations grouped by pair of tokens, in one direction (the lower asset id first) and the other. */
  private pairs(state: LedgerState, dayMs: number): Map<string, Pair> {
    const pairs = new Map<string, Pair>();
    for (const key of state.indexed('interbank_obligations', obligationDayKey(dayMs))) {
      const obligation = state.interbank_obligations.get(key)!;
      const forward = obligation.debtorAsset < obligation.creditorAsset;
      const id = forward ? `${obligation.debtorAsset}/${obligation.creditorAsset}` : `${obligation.creditorAsset}/${obligation.debtorAsset}`;
      const pair = pairs.get(id) ?? { forward: undefined, backward: undefined };
      pairs.set(id, forward ? { ...pair, forward: obligation } : { ...pair, backward: obligation });
    }
    return pairs;
  }

  private position(state: LedgerState, pair: Pair) {
    const any = (pair.forward ?? pair.backward)!;
    const [assetA, assetB] = pair.forward !== undefined ? [any.debtorAsset, any.creditorAsset] : [any.creditorAsset, any.debtorAsset];
    const asset = state.assets.get(assetA)!;
    const aOwesB = pair.forward?.amountMinor ?? 0n;
    const bOwesA = pair.backward?.amountMinor ?? 0n;
    const bankA = state.assets.get(assetA)!.issuer;
    const bankB = state.assets.get(assetB)!.issuer;
    const net = aOwesB - bOwesA;
    const amount = (minor: bigint) => formatAmount(minor, asset.decimals);
    return {
      currency: asset.code, bankA, assetA, bankB, assetB, aOwesB: amount(aOwesB), bOwesA: amount(bOwesA),
      payments: (pair.forward?.payments ?? 0) + (pair.backward?.payments ?? 0),
      net: amount(net < 0n ? -net : net), payer: net === 0n ? null : net > 0n ? bankA : bankB, payee: net === 0n ? null : net > 0n ? bankB : bankA,
    };
  }
}
