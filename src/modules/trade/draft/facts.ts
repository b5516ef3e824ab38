import { parseAmount } from '../../../core/index.js';
import { realDate } from '../../../node/query-time.js';

/** What a message says, as the drafter reads it: each fact with the words it came from. */
export type Trigger = 'signing' | 'shipment' | 'inspection' | 'delivery';

export type FactBody =
  | { kind: 'role'; role: 'buyer' | 'seller' }
  | { kind: 'line'; description: string; quantity: string; unit: string }
  | { kind: 'price'; unitPrice: string; currency: string | null }
  | { kind: 'currency'; currency: string }
  | { kind: 'settlement_currency'; currency: string }
  | { kind: 'incoterms'; rule: string; place: string }
  | { kind: 'delivery'; date: string }
  | { kind: 'shipment_date'; date: string }
  | { kind: 'milestone'; shareBp: number; trigger: Trigger }
  | { kind: 'dispute'; days: number }
  | { kind: 'arbiter'; name: string }
  | { kind: 'hs'; code: string }
  | { kind: 'agree' };

export type Fact = FactBody & { readonly message: number; readonly speaker: string; readonly quote: string };

/** A language's reader: the facts of one message's text. */
export type Recognizer = (text: string) => (FactBody & { quote: string })[];

export const INCOTERM_CODES = 'EXW|FCA|CPT|CIP|DAP|DPU|DDP|FAS|FOB|CFR|CIF';

/** A decimal amount as written (1,250.50 or 1250.5), with its separators removed; null when it is not one. */
export function plainDecimal(text: string): string | null {
  const cleaned = text.replace(/,(?=\d{3}(\D|$))/g, '');
  return /^\d+(\.\d+)?$/.test(cleaned) ? cleaned.replace(/^0+(?=\d)/, '') : null;
}

/** A percentage in basis points (exact: 12.5% is 1250). */
export function percentBp(text: string): number | null {
  const parsed = parseAmount(text, 2);
  return parsed.ok && parsed.minor > 0n && parsed.minor <= 10_000n ? Number(parsed.minor) : null;
}

/** A calendar date as ISO, or null when it does not exist. */
export function isoDate(year: number, month: number, day: number): string | null {
  return realDate(year, month, day) ? new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10) : null;
}

/** The event a payment waits for: the one the phrase names first ("on delivery after inspection" is delivery). */
export function firstTrigger(phrase: string, words: readonly (readonly [Trigger, RegExp])[]): Trigger | null {
  let best: { trigger: Trigger; at: number } | null = null;
  for (const [trigger, re] of words) {
    const at = re.exec(phrase)?.index;
    if (at !== undefined && (best === null || at < best.at)) best = { trigger, at };
  }
  return best?.trigger ?? null;
}
