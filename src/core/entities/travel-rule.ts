import { Type, type Static } from 'typebox';
import { Amount, CountryCode, Id } from '../schema.js';
import { defineEntity } from './define.js';

/**
 * The Travel Rule threshold of a jurisdiction in one currency: a payment from a
 * participant of that jurisdiction to one of another, in a token of that currency, at or
 * above it must carry originator and beneficiary data (FATF Recommendation 16). A network
 * switches the rule on jurisdiction by jurisdiction, by setting its threshold (FATF's
 * default for the currency unless another amount is given: TRAVEL_RULE_DEFAULTS).
 */
export const TravelRuleThresholdSchema = Type.Object({
  jurisdiction: CountryCode,
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  amount: Amount,
  setBy: Id,
});
export type TravelRuleThreshold = Readonly<Static<typeof TravelRuleThresholdSchema>>;

/** FATF R.16's de minimis thresholds as adopted: USD / EUR 1,000; Hong Kong HKD 8,000; Singapore SGD 1,500. Other currencies: 1,000 units. */
export const TRAVEL_RULE_DEFAULTS: Readonly<Record<string, string>> = { USD: '1000', EUR: '1000', GBP: '1000', CHF: '1000', HKD: '8000', SGD: '1500' };
export const TRAVEL_RULE_DEFAULT_UNITS = '1000';

export function travelRuleKey(jurisdiction: string, currency: string): string {
  return `${jurisdiction}/${currency}`;
}

export const travelRuleThresholds = defineEntity({
  table: 'travelRuleThresholds',
  description: "jurisdictions' Travel Rule thresholds per currency, where they differ from FATF's defaults",
  schema: TravelRuleThresholdSchema,
  key: (threshold) => travelRuleKey(threshold.jurisdiction, threshold.currency),
});
