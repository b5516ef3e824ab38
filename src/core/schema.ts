import { Type, type TEnum } from 'typebox';
import { DECIMALS_MAX } from './amount.js';

/**
 * The field types operations and entities are made of. They are JSON schemas (TypeBox):
 * the TypeScript types derive from them, the API validates requests with them, and the
 * CLI and SDK validate what they build with them, so the three never disagree.
 */

export const Id = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$', description: 'lower-case id: letters, digits, . _ -, at most 64 characters' });

export const TransactionId = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$', description: 'chosen by the sender, unique per sender for ever' });

/** Marks the decimal amount fields: their value is parsed with the asset's scale. */
export const AMOUNT_FORMAT = 'decimal-amount';

export const Amount = Type.String({
  pattern: '^(0|[1-9][0-9]{0,38})(\\.[0-9]{1,18})?$',
  format: AMOUNT_FORMAT,
  description: 'decimal string in the asset\'s major unit, e.g. "1000000.00"',
});

export const TimeMs = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000_000, description: 'milliseconds since the Unix epoch' });

export const Decimals = Type.Integer({ minimum: 0, maximum: DECIMALS_MAX });

/** No control characters, lone surrogates or bidirectional overrides (which can make a name read as another). */
const SAFE_CHARACTER = '[^\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069]';

/** Free text: a memo, a note. */
export const Text = (maxLength: number) => Type.String({ maxLength, pattern: `^${SAFE_CHARACTER}*$`, description: 'text without control characters' });

/** A name as registered: no leading or trailing space, no control characters. */
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: `^(?!\\s)${SAFE_CHARACTER}*(?<!\\s)$`, description: 'legal name, without control characters or surrounding spaces' });

/**
 * ISO 20022 references (an end-to-end id, a bank entry reference): at most 35 characters
 * of the SWIFT FIN X set, not starting or ending with "/" or a space, and never "//",
 * as CBPR+ requires; or a UETR (a version 4 UUID in lower case).
 */
const FIN_X_EDGE = "[0-9A-Za-z?:().,'+-]";
const FIN_X = "[0-9A-Za-z/?:().,'+ -]";
const UETR = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
export const Reference = Type.String({
  pattern: `^(?:${UETR}|(?=.{1,35}$)(?!.*//)${FIN_X_EDGE}(?:${FIN_X}*${FIN_X_EDGE})?)$`,
  description: "ISO 20022 reference: up to 35 characters of a-z A-Z 0-9 / - ? : ( ) . , ' + and space (no leading or trailing / or space, no //), or a UETR",
});

export const Lei = Type.String({ format: 'lei', pattern: '^[A-Z0-9]{18}[0-9]{2}$', description: 'ISO 17442 Legal Entity Identifier, check digits included' });

export const CountryCode = Type.String({ format: 'iso3166-alpha2', pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2 country code' });

export const Hex32 = Type.String({ pattern: '^[0-9a-f]{64}$' });

/**
 * Canonical base64url (no padding) of 32 and of 64 bytes. Base64 leaves spare bits in the
 * last character; only the spelling with those bits zero is accepted, so that one value
 * has one text (a signature spelt two ways must not count as two).
 */
export const BASE64URL_32 = '^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$';
export const BASE64URL_64 = '^[A-Za-z0-9_-]{85}[AQgw]$';

/** One of a constant list of strings, as a schema (`enum`). */
export const literals = <const T extends readonly string[]>(values: T): TEnum<[...T]> => Type.Enum([...values]) as TEnum<[...T]>;
