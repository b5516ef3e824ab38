import type { PartyType } from './lists.js';

/**
 * Where a score becomes a decision: at or above `block` the party is refused; at or above
 * `review` a person looks first; below, the hit is ignored. Configured per list (its
 * source: `ofac-sdn`, `un-consolidated`, `internal:<name>`) and party type, falling back
 * to the list's own, then to the defaults.
 */
export interface Thresholds {
  readonly block: number;
  readonly review: number;
}

export interface ThresholdSettings {
  readonly default: Thresholds;
  readonly lists?: Readonly<Record<string, Partial<Thresholds> & { readonly byType?: Readonly<Partial<Record<PartyType, Partial<Thresholds>>>> }>>;
}

export type Decision = 'block' | 'review' | 'ignore';

/** The defaults: a name alone blocks only when it is all but equal; close names go to review. */
export const DEFAULT_THRESHOLDS: ThresholdSettings = { default: { block: 0.97, review: 0.85 } };

export function thresholdsFor(settings: ThresholdSettings, list: string, type: PartyType): Thresholds {
  const forList = settings.lists?.[list];
  const forType = forList?.byType?.[type];
  return {
    block: forType?.block ?? forList?.block ?? settings.default.block,
    review: forType?.review ?? forList?.review ?? settings.default.review,
  };
}

export function decide(score: number, thresholds: Thresholds): Decision {
  if (score >= thresholds.block) return 'block';
  return score >= thresholds.review ? 'review' : 'ignore';
}

/** The lowest review threshold any list and type is given: below it no hit is worth scoring further. */
export function lowestReview(settings: ThresholdSettings): number {
  let lowest = settings.default.review;
  for (const list of Object.values(settings.lists ?? {})) {
    lowest = Math.min(lowest, list.review ?? lowest, ...Object.values(list.byType ?? {}).map((t) => t?.review ?? lowest));
  }
  return lowest;
}
