/** Human labels for the codes a snapshot carries (UN/ECE Rec 20 units, VAT categories, countries). */
import type { InvoiceSnapshot } from '@invoice/contracts';

const UNIT_LABELS: Record<string, string> = {
  C62: 'pcs',
  H87: 'pcs',
  EA: 'each',
  HUR: 'h',
  MIN: 'min',
  DAY: 'days',
  WEE: 'weeks',
  MON: 'months',
  ANN: 'years',
  KGM: 'kg',
  GRM: 'g',
  TNE: 't',
  MTR: 'm',
  KMT: 'km',
  MTK: 'm²',
  MTQ: 'm³',
  LTR: 'l',
  KWH: 'kWh',
  LS: 'lump sum',
  SET: 'sets',
  PR: 'pairs',
};

const VAT_CATEGORIES: Record<string, string> = {
  S: 'standard',
  Z: 'zero rated',
  E: 'exempt',
  AE: 'reverse charge',
  K: 'intra-community',
  G: 'export',
  O: 'not subject to VAT',
  L: 'IGIC',
  M: 'IPSI',
};

const TITLES: Record<InvoiceSnapshot['type'], string> = {
  invoice: 'Invoice',
  credit_note: 'Credit note',
  quote: 'Quote',
};

const countryNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A short unit label (`HUR` → `h`); unknown codes print as themselves. */
export function unitLabel(code: string): string {
  return UNIT_LABELS[code] ?? code;
}

/** The VAT category in words (`AE` → `reverse charge`). */
export function vatCategoryLabel(category: string): string {
  return VAT_CATEGORIES[category] ?? category;
}

/** The document title for a snapshot type. */
export function documentTitle(type: InvoiceSnapshot['type']): string {
  return TITLES[type] ?? 'Invoice';
}

/** A country name for an ISO 3166 code (`DE` → `Germany`). */
export function countryName(code: string): string {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
}

/** `bank_transfer` → `Bank transfer`. */
export function paymentMethodLabel(method: string): string {
  const words = method.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
