import { readFileSync } from 'node:fs';
import { Type, type Static } from 'typebox';
import { assertMatches } from '../../node/schema-check.js';

/**
 * How an issuer bank runs the banking module: which omnibus account and token, where its
 * bank's messages arrive, and who of its staff may link accounts and work the suspense
 * list. Read from the JSON file `DEPOSITUM_BANKING_CONFIG` names.
 */
export const BankingSettingsSchema = Type.Object({
  omnibusAccount: Type.String({ minLength: 1, maxLength: 34, description: "the issuer's omnibus (token reserve) account at the bank, as its messages name it" }),
  asset: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'the deposit token minted against it' }),
  inbox: Type.String({ minLength: 1, description: 'a directory with in/, processed/ and failed/: the shape of a host-to-host file link' }),
  xsdDirectory: Type.Optional(Type.String({ minLength: 1, description: 'official ISO 20022 XSDs to validate messages against' })),
  payout: Type.Optional(Type.Object({
    format: Type.Union([Type.Literal('pacs.008'), Type.Literal('pain.001')], { description: 'pacs.008 bank to bank, or pain.001 to the bank\'s own payment engine' }),
    debtor: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 140 }), town: Type.String({ minLength: 1, maxLength: 35 }), country: Type.String({ pattern: '^[A-Z]{2}$' }),
      street: Type.Optional(Type.String({ minLength: 1, maxLength: 70 })), postCode: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
      agentBic: Type.String({ pattern: '^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$' }),
    }, { additionalProperties: false, description: 'the issuer as it pays out: its name, structured address and BIC (the omnibus account is the debtor account)' }),
  }, { additionalProperties: false, description: 'how redemptions are paid out; without it they stay due' })),
  staff: Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' }), { minItems: 1, uniqueItems: true, description: "participants who link accounts and work the suspense list (the bank's operations officers)" }),
}, { additionalProperties: false });
export type BankingSettings = Static<typeof BankingSettingsSchema>;

export const BANKING_CONFIG_VARIABLE = 'DEPOSITUM_BANKING_CONFIG';

export function loadBankingSettings(path = process.env[BANKING_CONFIG_VARIABLE]): BankingSettings {
  if (path === undefined) throw new Error(`the banking module reads its settings from the JSON file ${BANKING_CONFIG_VARIABLE} names (see docs/banking.md)`);
  const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
  try {
    assertMatches(BankingSettingsSchema, value, 'settings');
  } catch (error) {
    throw new Error(`${path}: ${(error as Error).message}`, { cause: error });
  }
  return value as BankingSettings;
}
