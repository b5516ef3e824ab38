import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from 'typebox';
import { assertMatches } from '../../node/schema-check.js';
import type { AmqpLinkSettings } from './amqp.js';

/**
 * How an issuer bank runs the banking module: which omnibus account and token, where its
 * bank's messages arrive, and who of its staff may link accounts and work the suspense
 * list. Read from the JSON file `DEPOSITUM_BANKING_CONFIG` names.
 */
export const BankingSettingsSchema = Type.Object({
  omnibusAccount: Type.String({ minLength: 1, maxLength: 34, description: "the issuer's omnibus (token reserve) account at the bank, as its messages name it" }),
  asset: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'the deposit token minted against it' }),
  inbox: Type.Optional(Type.String({ minLength: 1, description: 'a file drop: a directory with in/, processed/, failed/ and out/, the shape of a host-to-host (SFTP) link' })),
  amqp: Type.Optional(Type.Object({
    url: Type.String({ pattern: '^amqps?://', description: 'the RabbitMQ broker, amqp://user:password@host:port/vhost' }),
    inQueue: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'what the bank sends (default depositum.banking.in)' })),
    outQueue: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'what the module sends the bank (default depositum.banking.out)' })),
    failedQueue: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'messages refused, with their reason in a header (default depositum.banking.failed)' })),
    queueArguments: Type.Optional(Type.Record(Type.String({ pattern: '^x-[a-z-]{1,64}$' }), Type.Union([Type.String({ maxLength: 255 }), Type.Integer(), Type.Boolean()]), {
      description: 'the arguments the three queues are declared with, as the bank\'s broker has them (RabbitMQ refuses a declaration that differs): {"x-queue-type": "quorum"} for replicated queues, {"x-queue-version": 2} for classic queues on RabbitMQ 3.10-3.13 (default: none, a classic queue)',
      additionalProperties: false,
    })),
  }, { additionalProperties: false, description: 'a message queue instead of a file drop: durable queues, publisher confirms, manual acknowledgements' })),
  xsdDirectory: Type.Optional(Type.String({ minLength: 1, description: 'official ISO 20022 XSDs to validate messages against' })),
  payout: Type.Optional(Type.Object({
    format: Type.Union([Type.Literal('pacs.008'), Type.Literal('pain.001')], { description: 'pacs.008 bank to bank, or pain.001 to the bank\'s own payment engine' }),
    debtor: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 140 }), town: Type.String({ minLength: 1, maxLength: 35 }), country: Type.String({ pattern: '^[A-Z]{2}$' }),
      street: Type.Optional(Type.String({ minLength: 1, maxLength: 70 })), postCode: Type.Optional(Type.String({ minLength: 1, maxLength: 16 })),
      agentBic: Type.String({ pattern: '^[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$' }),
    }, { additionalProperties: false, description: 'the issuer as it pays out: its name, structured address and BIC (the omnibus account is the debtor account)' }),
  }, { additionalProperties: false, description: 'how redemptions are paid out; without it they stay due' })),
  payoutGraceHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 720, description: 'how long a redemption may wait for the bank\'s debit before reconciliation calls it a break (default 48)' })),
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
  const settings = value as BankingSettings;
  if ((settings.inbox === undefined) === (settings.amqp === undefined)) throw new Error(`${path}: give the bank link as either "inbox" (a file drop) or "amqp" (RabbitMQ), not ${settings.inbox === undefined ? 'neither' : 'both'}`);
  return settings;
}

/** The queues of a RabbitMQ link, with their defaults. */
export function amqpSettings(amqp: NonNullable<BankingSettings['amqp']>): AmqpLinkSettings {
  return {
    url: amqp.url, inQueue: amqp.inQueue ?? 'depositum.banking.in', outQueue: amqp.outQueue ?? 'depositum.banking.out', failedQueue: amqp.failedQueue ?? 'depositum.banking.failed',
    ...(amqp.queueArguments !== undefined && { queueArguments: amqp.queueArguments }),
  };
}

/** What the reconciler needs of the settings. */
export function reconcilerSettings(settings: BankingSettings): { omnibusAccount: string; asset: string; payoutGraceMs?: number } {
  return { omnibusAccount: settings.omnibusAccount, asset: settings.asset, ...(settings.payoutGraceHours !== undefined && { payoutGraceMs: settings.payoutGraceHours * 3_600_000 }) };
}

/**
 * The demo network's link: First Meridian's omnibus account for its US dollar token, the
 * bank's file drop in the data directory (bank-link/), paid out as pacs.008. Used when a
 * demo node runs the module without a settings file; `depositum bank-sim` plays the bank.
 */
export function demoBankingSettings(dataDir: string): BankingSettings {
  const xsd = process.env['DEPOSITUM_ISO20022_XSD'];
  return {
    omnibusAccount: 'FMB-OMNIBUS-USD', asset: 'usd-fmb', inbox: join(dataDir, 'bank-link'), ...(xsd !== undefined && xsd !== '' && { xsdDirectory: xsd }),
    payout: { format: 'pacs.008', debtor: { name: 'First Meridian Bank, N.A.', street: 'Wall Street', postCode: '10005', town: 'New York', country: 'US', agentBic: 'FMBKUS33' } },
    staff: ['first-meridian'],
  };
}

/** The settings file if one is named, else the demo's link on a demo node. */
export function bankingSettingsFor(context: { dataDir: string; demo: boolean }): BankingSettings {
  return process.env[BANKING_CONFIG_VARIABLE] === undefined && context.demo ? demoBankingSettings(context.dataDir) : loadBankingSettings();
}
