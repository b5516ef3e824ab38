import type { Holding, HoldingClass } from '../../../src/modules/reserves/holdings.js';
import { valueOf } from '../../../src/modules/reserves/money.js';
import { totalsOf, valueRegister, type Valued } from '../../../src/modules/reserves/portfolio.js';
import type { Profile } from '../../../src/modules/reserves/profiles.js';

export const AS_OF = '2026-12-04';
export const AS_OF_MS = Date.parse(`${AS_OF}T00:00:00Z`);

let serial = 0;

/** A holding of `value` HKD (market value = nominal), with what the test sets. */
export function holding(kind: HoldingClass, value: string, extra: Partial<Holding> = {}): Holding {
  serial += 1;
  const amount = valueOf(value)!;
  return {
    instrumentId: `H-${String(serial).padStart(5, '0')}`, class: kind, issuer: `Issuer ${serial}`, isin: null, currency: 'HKD', nominal: amount, marketValue: amount,
    maturityDate: kind === 'cash' || kind === 'deposit' || kind === 'mmf' ? null : '2027-01-15', rating: 'AAA', custodian: 'Custodian A', custodianJurisdiction: 'HK',
    purpose: 'reserve', custody: null, ...extra,
  };
}

export function valued(holdings: readonly Holding[], profile: Profile, rates: ReadonlyMap<string, bigint> = new Map()): Valued[] {
  return valueRegister(holdings, profile, { currency: 'HKD', asOfMs: AS_OF_MS, rates });
}

export function totals(holdings: readonly Holding[], profile: Profile, rates: ReadonlyMap<string, bigint> = new Map()) {
  return totalsOf(valued(holdings, profile, rates), 'HKD');
}

/** An amount at the value scale (ten-thousandths). */
export const v = (text: string): bigint => valueOf(text)!;
