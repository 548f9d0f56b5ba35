/**
 * Decimal strings as the API and the events carry them (`"1234.50"`), and the one way to turn the
 * text Postgres returns for a `numeric` column (padded to its scale: numeric(19,6) gives
 * `"12.500000"`) into that form. Purely textual: no value ever passes through a float.
 */

/**
 * The canonical text of a decimal string: no leading zeros, no trailing fraction zeros beyond
 * `minScale` (which pads), no sign on zero. `"0012.500000"` → `"12.5"`; with `minScale` 2 → `"12.50"`;
 * `"-0.000"` → `"0"`.
 */
export function canonicalDecimal(value: string, minScale = 0): string {
  const negative = value.startsWith('-');
  const unsigned = negative || value.startsWith('+') ? value.slice(1) : value;
  const [rawInteger = '', rawFraction = ''] = unsigned.split('.');
  const integer = rawInteger.replace(/^0+(?=\d)/, '') || '0';
  const fraction = rawFraction.replace(/0+$/, '').padEnd(minScale, '0');
  const text = fraction ? `${integer}.${fraction}` : integer;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/**
 * Exactly `decimals` fraction digits, for amounts with a known scale (a currency's minor unit):
 * `"119.0000"` with 2 → `"119.00"`. Pads or cuts surplus zeros; a significant digit beyond
 * `decimals` is a RangeError (this never rounds).
 */
export function fixedDecimal(value: string, decimals: number): string {
  const text = canonicalDecimal(value);
  const [integer = '0', fraction = ''] = text.split('.');
  if (fraction.length > decimals) {
    throw new RangeError(`${value} has more than ${decimals} significant decimals`);
  }
  return decimals === 0 ? integer : `${integer}.${fraction.padEnd(decimals, '0')}`;
}

/**
 * A copy without the keys whose value is `null` or `undefined`: a NULL column or an unset field
 * is absent from JSON, never `null` and never a key holding `undefined`.
 */
export function compact<T extends object>(value: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}
