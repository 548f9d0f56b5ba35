/**
 * Re-checks a computed result against the EN 16931 calculation rules, from its strings alone, the way a
 * validator of the e-invoice would: BR-CO-10..17 and the per-category BR-xx-08/-09. Used by the property
 * tests and usable by the service as a safety net before issuing a document.
 */
import { AppError, type DocumentPricingResult, type VatCategory } from '@invoice/contracts';
import { currencyInfo } from './currency.ts';
import { Dec, HUNDRED, round, ZERO } from './decimal.ts';
import { CATEGORY_RULES } from './vat.ts';

const d = (value: string) => new Dec(value);
const total = (values: readonly string[]) => values.reduce((acc, value) => acc.plus(value), ZERO);

interface Taxed {
  category: VatCategory;
  rate?: string | undefined;
}
const groupKey = (category: string, rate: string | undefined) =>
  `${category}|${rate === undefined ? '-' : d(rate).toFixed()}`;

/** Returns the violated rules with their figures; an empty list means the result is consistent. */
export function checkEn16931Invariants(result: DocumentPricingResult): string[] {
  const { minorUnits } = currencyInfo(result.currency);
  const t = result.totals;
  const problems: string[] = [];
  const expect = (rule: string, actual: string, wanted: Dec) => {
    if (!d(actual).eq(wanted)) problems.push(`${rule}: ${actual} ≠ ${wanted.toFixed(minorUnits)}`);
  };
  const amountPattern = new RegExp(`^-?\\d+${minorUnits > 0 ? `\\.\\d{${minorUnits}}` : ''}$`);
  for (const [name, value] of Object.entries(t)) {
    if (!amountPattern.test(value))
      problems.push(`BR-DEC: totals.${name} "${value}" has not ${minorUnits} decimals`);
  }
  expect('BR-CO-10', t.lineNet, total(result.lines.map((line) => line.net)));
  expect('BR-CO-11', t.allowances, total(result.allowances.map((a) => a.amount)));
  expect('BR-CO-12', t.charges, total(result.charges.map((c) => c.amount)));
  expect('BR-CO-13', t.net, d(t.lineNet).minus(t.allowances).plus(t.charges));
  expect('BR-CO-14', t.vat, total(result.vatBreakdown.map((g) => g.tax)));
  expect('BR-CO-14 (stacked taxes)', t.otherTax, total(result.taxBreakdown.map((g) => g.tax)));
  expect('BR-CO-15', t.gross, d(t.net).plus(t.vat).plus(t.otherTax));
  expect('BR-CO-16', t.due, d(t.gross).minus(t.prepaid).plus(t.rounding));

  // BR-xx-08: each group's taxable = Σ line nets − Σ allowances + Σ charges of that category and rate.
  const taxable = new Map<string, Dec>();
  const add = (item: Taxed, amount: Dec) => {
    const key = groupKey(item.category, item.rate);
    taxable.set(key, (taxable.get(key) ?? ZERO).plus(amount));
  };
  for (const line of result.lines) add({ category: line.vatCategory, rate: line.vatRate }, d(line.net));
  for (const a of result.allowances) add({ category: a.vatCategory, rate: a.vatRate }, d(a.amount).neg());
  for (const c of result.charges) add({ category: c.vatCategory, rate: c.vatRate }, d(c.amount));
  const seen = new Set<string>();
  for (const group of result.vatBreakdown) {
    const key = groupKey(group.category, group.rate);
    const ruleId = CATEGORY_RULES[group.category].ruleId;
    if (seen.has(key)) problems.push(`BR-${ruleId}-01: two breakdown groups for ${key}`);
    seen.add(key);
    expect(`BR-${ruleId}-08 (${key})`, group.taxable, taxable.get(key) ?? ZERO);
    // BR-CO-17 / BR-xx-09: tax = taxable × rate ÷ 100, rounded; 0 without a rate or at rate 0.
    const rate = group.rate === undefined ? ZERO : d(group.rate);
    expect(
      `BR-CO-17/BR-${ruleId}-09 (${key})`,
      group.tax,
      round(d(group.taxable).times(rate).div(HUNDRED), minorUnits),
    );
  }
  for (const key of taxable.keys()) {
    if (!seen.has(key)) problems.push(`BR-xx-01: no breakdown group for ${key}`);
  }
  // The same two rules for each stacked tax group (scheme, category, rate).
  const stacked = new Map<string, Dec>();
  const addStacked = (taxes: DocumentPricingResult['lines'][number]['taxes'], amount: Dec) => {
    for (const tax of taxes) {
      const key = `${tax.scheme}|${groupKey(tax.category, tax.rate)}`;
      stacked.set(key, (stacked.get(key) ?? ZERO).plus(amount));
    }
  };
  for (const line of result.lines) addStacked(line.taxes, d(line.net));
  for (const a of result.allowances) addStacked(a.taxes, d(a.amount).neg());
  for (const c of result.charges) addStacked(c.taxes, d(c.amount));
  for (const group of result.taxBreakdown) {
    const key = `${group.scheme}|${groupKey(group.category, group.rate)}`;
    expect(`stacked taxable (${key})`, group.taxable, stacked.get(key) ?? ZERO);
    stacked.delete(key);
    const rate = group.rate === undefined ? ZERO : d(group.rate);
    expect(
      `stacked ${group.scheme} (${group.category} ${group.rate ?? '-'})`,
      group.tax,
      round(d(group.taxable).times(rate).div(HUNDRED), minorUnits),
    );
  }
  for (const key of stacked.keys()) problems.push(`no stacked tax group for ${key}`);
  return problems;
}

/** Throws an INTERNAL AppError (never shown to clients) when a result breaks an EN 16931 rule. */
export function assertEn16931Invariants(result: DocumentPricingResult): void {
  const problems = checkEn16931Invariants(result);
  if (problems.length > 0)
    throw new AppError('INTERNAL', { detail: `EN 16931 invariants broken: ${problems.join('; ')}` });
}
