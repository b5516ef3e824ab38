import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { assertMatches } from '../../node/schema-check.js';
import { PROFILES } from './profiles.js';

/** How an issuer runs the reserves module: which stablecoin, under which profile. Read from the JSON file DEPOSITUM_RESERVES_CONFIG names. */
export const ReservesSettingsSchema = Type.Object({
  asset: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'the stablecoin whose reserves the module watches (its participant must be the appointed reserve manager)' }),
  issuer: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: "the coin's issuer: its officers import positions, read the checks and decide rebalancing proposals" }),
  profile: Type.Unsafe<string>({ type: 'string', enum: Object.keys(PROFILES), description: 'the reserve rules: hk, genius, mica, mica-significant' }),
  warningBp: Type.Optional(Type.Integer({ minimum: 10_000, maximum: 50_000, description: 'coverage or liquidity (basis points) below which minting is throttled; default the profile\'s (11,000: 110%)' })),
  stopBp: Type.Optional(Type.Integer({ minimum: 5_000, maximum: 50_000, description: 'coverage (basis points) below which minting stops; default 10,000' })),
  attestDaily: Type.Optional(Type.Boolean({ description: 'make and attest the report of the previous day after midnight UTC (default true)' })),
}, { additionalProperties: false });
export type ReservesSettings = Static<typeof ReservesSettingsSchema>;

export const RESERVES_CONFIG_VARIABLE = 'DEPOSITUM_RESERVES_CONFIG';

/** The demo network's Hong Kong dollar stablecoin under the Hong Kong profile. */
export const DEMO_RESERVES: ReservesSettings = { asset: 'hkd-hsi', issuer: 'harbour-stable', profile: 'hk' };

export function reservesSettingsFor(context: { demo: boolean }): ReservesSettings {
  const file = process.env[RESERVES_CONFIG_VARIABLE];
  if (file === undefined || file === '') {
    if (context.demo) return DEMO_RESERVES;
    throw new Error(`the reserves module reads its settings from the JSON file ${RESERVES_CONFIG_VARIABLE} names (see docs/reserves.md)`);
  }
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  try {
    assertMatches(ReservesSettingsSchema, value, 'settings');
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`, { cause: error });
  }
  return value as ReservesSettings;
}
