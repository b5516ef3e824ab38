import type { Hit } from './screener.js';

/** What the bank does with a party, from its hits: refuse it, look first, or let it through. */
export type ScreeningOutcome = 'block' | 'review' | 'clear';

export function outcomeOf(hits: readonly Hit[]): ScreeningOutcome {
  if (hits.some((hit) => hit.decision === 'block')) return 'block';
  return hits.some((hit) => hit.decision === 'review') ? 'review' : 'clear';
}
