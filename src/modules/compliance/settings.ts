import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { assertMatches } from '../../node/schema-check.js';

/**
 * How a bank runs the compliance module: the lists it screens against (paths: an OFAC SDN
 * directory, the UN consolidated .xml, watchlist .csv files) and where scores become
 * decisions. Read from the JSON file DEPOSITUM_COMPLIANCE_CONFIG names; a demo node
 * without one screens against the lists DEPOSITUM_SANCTIONS_LISTS names (comma-separated).
 */
const Threshold = Type.Number({ minimum: 0, maximum: 1 });
const Pair = Type.Object({ block: Type.Optional(Threshold), review: Type.Optional(Threshold) }, { additionalProperties: false });

export const ComplianceSettingsSchema = Type.Object({
  lists: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'list files and directories; reread when they change, and every participant rescreened against what changed' }),
  thresholds: Type.Optional(Type.Object({
    default: Type.Object({ block: Threshold, review: Threshold }, { additionalProperties: false }),
    lists: Type.Optional(Type.Record(Type.String(), Type.Object({
      block: Type.Optional(Threshold), review: Type.Optional(Threshold),
      byType: Type.Optional(Type.Object({ person: Type.Optional(Pair), entity: Type.Optional(Pair), vessel: Type.Optional(Pair), aircraft: Type.Optional(Pair) }, { additionalProperties: false })),
    }, { additionalProperties: false }))),
  }, { additionalProperties: false })),
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

/** The settings file if one is named, else (on a demo node) the lists DEPOSITUM_SANCTIONS_LISTS names. */
export function complianceSettingsFor(context: { demo: boolean }): ComplianceSettings {
  const file = process.env[COMPLIANCE_CONFIG_VARIABLE];
  if (file !== undefined && file !== '') return loadComplianceSettings(file);
  const lists = (process.env[SANCTIONS_LISTS_VARIABLE] ?? '').split(',').filter((path) => path !== '');
  if (!context.demo || lists.length === 0) throw new Error(`the compliance module reads its settings from the JSON file ${COMPLIANCE_CONFIG_VARIABLE} names, or on a demo node screens against the lists ${SANCTIONS_LISTS_VARIABLE} names (see docs/compliance.md)`);
  return { lists };
}
