/**
 * The money and tax engine (EN 16931): pure functions, no I/O. See README.md in this folder for the rules.
 */
export { computeTotals, type ComputeTotalsOptions } from './document.ts';
export { assertEn16931Invariants, checkEn16931Invariants } from './invariants.ts';
export { assertSameCurrency, currencyInfo, type CurrencyInfo } from './currency.ts';
export { CATEGORY_RULES } from './vat.ts';
