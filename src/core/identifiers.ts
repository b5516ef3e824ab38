import isISINModule from 'validator/lib/isISIN.js';
import { AMOUNT_MAX_MINOR } from './amount.js';
import { AMOUNT_FORMAT } from './schema.js';
import isISO31661Alpha2Module from 'validator/lib/isISO31661Alpha2.js';
import isISO4217Module from 'validator/lib/isISO4217.js';

// validator.js's files are CommonJS whose export is also its `default`.
const isISIN = isISINModule.default;
const isISO31661Alpha2 = isISO31661Alpha2Module.default;
const isISO4217 = isISO4217Module.default;

/**
 * Whether `text` is an ISO 17442 Legal Entity Identifier: 18 letters or digits and two
 * check digits, valid under ISO 7064 MOD 97-10 (letters count as 10-35, the whole number
 * modulo 97 is 1). No maintained library checks LEIs; the rule is this short.
 */
export function isLei(text: string): boolean {
  if (!/^[A-Z0-9]{18}[0-9]{2}$/.test(text)) return false;
  const digits = [...text].map((character) => parseInt(character, 36)).join('');
  return BigInt(digits) % 97n === 1n;
}

/** The LEI made of an 18-character prefix and its ISO 7064 check digits (for generated test and demo identities). */
export function leiWithCheckDigits(prefix: string): string {
  if (!/^[A-Z0-9]{18}$/.test(prefix)) throw new TypeError('an LEI prefix is 18 letters or digits');
  const remainder = BigInt([...`${prefix}00`].map((character) => parseInt(character, 36)).join('')) % 97n;
  return `${prefix}${String(98n - remainder).padStart(2, '0')}`;
}

/** An assigned ISO 3166-1 alpha-2 country code (upper case). */
export function isCountryCode(text: string): boolean {
  return /^[A-Z]{2}$/.test(text) && isISO31661Alpha2(text);
}

/** An active ISO 4217 currency code. */
export function isCurrencyCode(text: string): boolean {
  return /^[A-Z]{3}$/.test(text) && isISO4217(text);
}

/** An ISO 6166 ISIN with a valid check digit. */
export function isIsin(text: string): boolean {
  return /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/.test(text) && isISIN(text);
}

/**
 * The string formats the schemas name, for every JSON-schema validator that checks them
 * (the API's, the CLI's): one definition, so the node and its clients agree.
 */
export const SCHEMA_FORMATS: Readonly<Record<string, (text: string) => boolean>> = {
  // Whatever the asset's scale, an amount whose whole part alone passes the ceiling can never be valid.
  [AMOUNT_FORMAT]: (text) => BigInt(text.split('.')[0] ?? '0') <= AMOUNT_MAX_MINOR,
  lei: isLei,
  'iso3166-alpha2': isCountryCode,
  iso4217: isCurrencyCode,
  isin: isIsin,
};
