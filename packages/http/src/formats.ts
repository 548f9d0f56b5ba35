/**
 * String formats the platform's schemas use beyond JSON Schema's own (`format: 'iban'`,
 * `format: 'tax-id'`), checked by the request validator, so the document names the rule and the
 * server enforces it in one place.
 */
import { checkVAT, countries } from 'jsvat';

/**
 * True when an IBAN's check digits are right (ISO 13616-1 / ISO 7064 mod 97-10): the country code
 * and check digits moved to the end, letters as numbers (A = 10 … Z = 35), the number mod 97 is 1.
 * The shape (country, length) is the schema's `pattern`; this checks the checksum only.
 */
export function isValidIban(value: string): boolean {
  const iban = value.replaceAll(' ', '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : character;
    for (const digit of digits) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** A VAT number as written with a country prefix (`DE136695976`, `ATU13585627`, `PL 526-025-02-74`). */
const VAT_LIKE = /^[A-Z]{2}[0-9A-Z+*]{2,14}$/;
const VAT_PREFIXES = new Set(
  countries.flatMap((country) => country.codes.filter((code) => code.length === 2)),
);
VAT_PREFIXES.add('EL'); // Greece's VAT prefix

/**
 * True for a tax id the API accepts. A value written as a European VAT number (a country prefix
 * jsvat knows, then the number; spaces, dots and dashes ignored) must have that country's VAT number
 * shape (jsvat's per-country formats); any other tax id (a national one, or a country jsvat does not
 * cover) is accepted as given. Check digits are left to the tax authority's own lookup (VIES).
 */
export function isAcceptableTaxId(value: string): boolean {
  const compact = value.replace(/[\s.-]/g, '').toUpperCase();
  if (!VAT_LIKE.test(compact) || !VAT_PREFIXES.has(compact.slice(0, 2))) return true;
  return checkVAT(compact, countries).isValidFormat;
}

/** The custom formats, as Ajv's `formats` option. */
export const CUSTOM_FORMATS = {
  iban: { type: 'string', validate: isValidIban },
  'tax-id': { type: 'string', validate: isAcceptableTaxId },
} as const;
