import { Type } from 'typebox';
import { parseAmount } from '../../amount.js';
import { TRAVEL_RULE_DEFAULT_UNITS, TRAVEL_RULE_DEFAULTS, travelRuleKey } from '../../entities/index.js';
import { defineEvent } from '../../events.js';
import { operation } from '../../operation.js';
import { Amount, CountryCode } from '../../schema.js';
import { withBalances } from '../effects.js';

export const travelRuleThresholdSet = defineEvent('travel_rule_threshold_set', "a jurisdiction's Travel Rule threshold in a currency was set", Type.Object({
  jurisdiction: CountryCode, currency: Type.String(), amount: Amount, setBy: Type.String(),
}));

/** Switches the Travel Rule on for payments from a jurisdiction in a currency, at this threshold (FATF's default for the currency when none is given), or changes it (compliance). */
export const setTravelRuleThreshold = operation({
  family: 'travel-rule',
  summary: "set a jurisdiction's Travel Rule threshold in a currency",
  schema: Type.Object({ type: Type.Literal('set_travel_rule_threshold'), jurisdiction: CountryCode, currency: Type.String({ pattern: '^[A-Z]{3}$' }), amount: Type.Optional(Amount) }, { additionalProperties: false }),
  initiators: ['compliance'],
  consent: 'compliance',
  events: [travelRuleThresholdSet],
  describe: (op) => `Travel Rule threshold of ${op.jurisdiction} in ${op.currency}: ${op.amount ?? 'FATF default'}`,
}).resolve((_ctx, op) => {
    const amount = op.amount ?? TRAVEL_RULE_DEFAULTS[op.currency] ?? TRAVEL_RULE_DEFAULT_UNITS;
    return { amount, parsed: parseAmount(amount, 18) };
  }).define({
  checks: [
    { code: 'invalid_amount', field: 'amount', fails: (env) => !env.parsed.ok || env.parsed.minor === 0n, explain: (env) => `${env.amount} is not a positive amount` },
  ],
  apply: (ctx, op, env) => {
    ctx.draft.put('travelRuleThresholds', travelRuleKey(op.jurisdiction, op.currency), { jurisdiction: op.jurisdiction, currency: op.currency, amount: env.amount, setBy: ctx.sender.id });
    return [withBalances(ctx.draft, travelRuleThresholdSet.of({ jurisdiction: op.jurisdiction, currency: op.currency, amount: env.amount, setBy: ctx.sender.id }, {}))];
  },
  parties: () => [],
  accounts: () => [],
});
