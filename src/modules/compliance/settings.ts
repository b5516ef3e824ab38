import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { assertMatches } from '../../node/schema-check.js';
import { DEFAULT_MONITORING, type MonitoringSettings } from './monitoring/settings.js';

/**
 * How a bank runs the compliance module: the lists it screens against (paths: an OFAC SDN
 * directory, the UN consolidated .xml, watchlist .csv files) and where scores become
 * decisions. Read from the JSON file DEPOSITUM_COMPLIANCE_CONFIG names; a demo node
 * without one screens against the lists DEPOSITUM_SANCTIONS_LISTS names (comma-separated).
 */
const Threshold = Type.Number({ minimum: 0, maximum: 1 });
const Pair = Type.Object({ block: Type.Optional(Threshold), review: Type.Optional(Threshold) }, { additionalProperties: false });

const closed = { additionalProperties: false } as const;
const Count = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
const Hours = Type.Number({ exclusiveMinimum: 0, maximum: 24 * 366 });

export const ComplianceSettingsSchema = Type.Object({
  lists: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'list files and directories; reread when they change, and every participant rescreened against what changed' }),
  thresholds: Type.Optional(Type.Object({
    default: Type.Object({ block: Threshold, review: Threshold }, { additionalProperties: false }),
    lists: Type.Optional(Type.Record(Type.String(), Type.Object({
      block: Type.Optional(Threshold), review: Type.Optional(Threshold),
      byType: Type.Optional(Type.Object({ person: Type.Optional(Pair), entity: Type.Optional(Pair), vessel: Type.Optional(Pair), aircraft: Type.Optional(Pair) }, { additionalProperties: false })),
    }, { additionalProperties: false }))),
  }, { additionalProperties: false })),
  monitoring: Type.Optional(Type.Object({
    large: Type.Optional(Type.Record(Type.String({ pattern: '^([A-Z]{3}|default)$' }), Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), { description: 'large-transaction threshold per currency, in major units; `default` for the rest' })),
    structuring: Type.Optional(Type.Object({ count: Count, floor: Share, windowHours: Hours }, closed)),
    velocity: Type.Optional(Type.Object({ count: Count, largeMultiple: Count, windowHours: Hours }, closed)),
    roundAmounts: Type.Optional(Type.Object({ count: Count, unit: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?$' }), windowHours: Hours }, closed)),
    dormant: Type.Optional(Type.Object({ days: Count, largeShare: Share }, closed)),
    newCounterparty: Type.Optional(Type.Object({ days: Count, largeShare: Share }, closed)),
    graphWindowHours: Type.Optional(Hours),
    cycleMaxLength: Type.Optional(Type.Integer({ minimum: 3, maximum: 8 })),
    fan: Type.Optional(Count),
    layering: Type.Optional(Type.Object({ hops: Type.Integer({ minimum: 2, maximum: 10 }), hopHours: Hours, keep: Share }, closed)),
    mule: Type.Optional(Type.Object({ senders: Count, forwarded: Share }, closed)),
  }, { additionalProperties: false, description: 'transaction monitoring: each part replaces the default one (docs/compliance.md)' })),
  reporting: Type.Optional(Type.Object({
    rentityId: Type.String({ minLength: 1, maxLength: 50, description: "the bank's reporting-entity id at its FIU (goAML rentity_id)" }),
    rentityBranch: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    institutionName: Type.String({ minLength: 1, maxLength: 255 }),
    swift: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$' })),
    issuers: Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }), { minItems: 1, description: "participants whose tokens are the bank's own: their holders are its clients" }),
    reportingPerson: Type.Object({ firstName: Type.String({ minLength: 1, maxLength: 100 }), lastName: Type.String({ minLength: 1, maxLength: 100 }), email: Type.Optional(Type.String({ maxLength: 255 })), occupation: Type.Optional(Type.String({ maxLength: 255 })) }, closed),
    submissionCode: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
    fundsCode: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
    transmodeCode: Type.Optional(Type.String({ minLength: 1, maxLength: 3 })),
  }, { additionalProperties: false, description: 'who files reports and how: without it, no report is built (docs/compliance.md)' })),
  listCheckSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400, description: 'how often the list files are looked at for a new version (default 60)' })),
}, { additionalProperties: false });
export type ComplianceSettings = Static<typeof ComplianceSettingsSchema>;

export const COMPLIANCE_CONFIG_VARIABLE = 'DEPOSITUM_COMPLIANCE_CONFIG';
export const SANCTIONS_LISTS_VARIABLE = 'DEPOSITUM_SANCTIONS_LISTS';

export function loadComplianceSettings(path: string): ComplianceSettings {
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  try {
    assertMatches(ComplianceSettingsSchema, value, 'settings');
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
  return value as ComplianceSettings;
}

/** First Meridian's compliance desk on the demo network: its tokens' holders are its clients. */
export const DEMO_REPORTING: NonNullable<ComplianceSettings['reporting']> = {
  rentityId: 'FMB-0001', institutionName: 'First Meridian Bank, N.A.', swift: 'FMBKUS33', issuers: ['first-meridian'],
  reportingPerson: { firstName: 'Dana', lastName: 'Whitfield', occupation: 'Money Laundering Reporting Officer' },
};

/** The settings file if one is named, else (on a demo node) the lists DEPOSITUM_SANCTIONS_LISTS names. */
export function complianceSettingsFor(context: { demo: boolean }): ComplianceSettings {
  const file = process.env[COMPLIANCE_CONFIG_VARIABLE];
  if (file !== undefined && file !== '') return loadComplianceSettings(file);
  const lists = (process.env[SANCTIONS_LISTS_VARIABLE] ?? '').split(',').filter((path) => path !== '');
  if (!context.demo || lists.length === 0) throw new Error(`the compliance module reads its settings from the JSON file ${COMPLIANCE_CONFIG_VARIABLE} names, or on a demo node screens against the lists ${SANCTIONS_LISTS_VARIABLE} names (see docs/compliance.md)`);
  return { lists, reporting: DEMO_REPORTING };
}

/** The monitoring settings in force: the defaults, each part the settings give replaced. */
export function monitoringSettings(settings: ComplianceSettings): MonitoringSettings {
  const given = settings.monitoring ?? {};
  return { ...DEFAULT_MONITORING, ...given, large: { ...DEFAULT_MONITORING.large, ...given.large } } as MonitoringSettings;
}
