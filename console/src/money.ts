/**
 * Amounts as the node sends them (decimal strings in major units, "1250000.00") formatted
 * for people. `Intl.NumberFormat` formats a decimal string exactly (no float on the way), so
 * 9007199254740993.01 shows as it is.
 */
const formats = new Map<string, Intl.NumberFormat>();

/** ISO 4217 codes are three letters; anything else (a bond's ISIN) is shown as units. */
const CURRENCY = /^[A-Z]{3}$/;

function formatFor(code: string, decimals: number): Intl.NumberFormat {
  const key = `${code}/${decimals}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = CURRENCY.test(code)
      ? new Intl.NumberFormat(undefined, { style: 'currency', currency: code, minimumFractionDigits: decimals, maximumFractionDigits: decimals })
      : new Intl.NumberFormat(undefined, { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    formats.set(key, format);
  }
  return format;
}

type Numeric = Parameters<Intl.NumberFormat['format']>[0];

/** "1250000.00" in USD with 2 decimals → "$1,250,000.00" (in the browser's locale); a bond's units → "1,000 US91282CJL55". */
export function formatMoney(amount: string, code: string, decimals: number): string {
  // Intl.NumberFormat takes a decimal string as an exact decimal (ECMA-402, "Intl.NumberFormat v3"); its typings still say number.
  const text = formatFor(code, decimals).format(amount as unknown as Numeric);
  return CURRENCY.test(code) ? text : `${text} ${code}`;
}
