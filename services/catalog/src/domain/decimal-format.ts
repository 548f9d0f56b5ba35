/**
 * Canonical text of decimal strings read back from `numeric` columns (which pad to their scale:
 * numeric(19,6) returns "12.500000"). Purely textual: no float ever touches the value.
 */

/** Strips trailing fraction zeros, keeping at least `minScale` fraction digits ("12.500000" → "12.50"). */
export function canonicalDecimal(value: string, minScale = 0): string {
  const negative = value.startsWith('-');
  const [rawInteger = '0', rawFraction = ''] = (negative ? value.slice(1) : value).split('.');
  const integer = rawInteger.replace(/^0+(?=\d)/, '') || '0';
  const fraction = rawFraction.replace(/0+$/, '').padEnd(minScale, '0');
  const text = fraction ? `${integer}.${fraction}` : integer;
  return negative && /[1-9]/.test(text) ? `-${text}` : text;
}

/** A unit price as returned: at least two decimals ("12.50", "0.125", "100.00"). */
export function formatUnitPrice(value: string): string {
  return canonicalDecimal(value, 2);
}

/** A VAT rate as returned: no padding ("23", "7.5", "0"). */
export function formatVatRate(value: string): string {
  return canonicalDecimal(value, 0);
}
