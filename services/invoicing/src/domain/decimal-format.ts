/**
 * Printing `numeric` column values (which come back padded to the column's scale, "3.000000") as the
 * API's decimal strings. Pure string work: no number ever passes through a float.
 */

/** "3.500000" → "3.5", "100.000000" → "100", "-0.10" → "-0.1". */
export function canonicalDecimal(value: string): string {
  if (!value.includes('.')) return value;
  const trimmed = value.replace(/0+$/, '').replace(/\.$/, '');
  return trimmed === '-0' ? '0' : trimmed;
}

/** "119.0000" with 2 decimals → "119.00"; pads or cuts surplus zero decimals (never rounds a digit). */
export function fixedDecimal(value: string, decimals: number): string {
  const [integer = '0', fraction = ''] = value.split('.');
  if (fraction.slice(decimals).replace(/0/g, '') !== '') {
    throw new RangeError(`${value} has more than ${decimals} significant decimals`);
  }
  return decimals === 0 ? integer : `${integer}.${fraction.slice(0, decimals).padEnd(decimals, '0')}`;
}
