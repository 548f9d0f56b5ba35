/**
 * Tax groups: one per (scheme, category, rate). The taxable amount of a group is the sum of its items' net
 * amounts (lines + document charges − document allowances: BR-S-08, BR-Z-08, BR-E-08, BR-AE-08 ...), and
 * its tax is computed once on that sum and rounded once, half away from zero, to the minor unit (BR-S-09,
 * BR-CO-17) — never per line, which is what makes per-line rounding drift impossible.
 */
import type { FieldError, VatCategory } from '@invoice/contracts';
import type { Dec } from './decimal.ts';
import { addError, PERCENT, round, ZERO } from './decimal.ts';
import { CATEGORY_ORDER, CATEGORY_RULES, VAT, type ResolvedTax } from './vat.ts';

/** Anything that contributes to tax groups: a line, a document allowance (negative) or charge. */
export interface TaxableItem {
  /** VAT first, then stacked taxes. */
  taxes: ResolvedTax[];
  /** Signed contribution in the price mode (tax-inclusive in gross mode). */
  entered: Dec;
  /** Signed net contribution; equals `entered` in net mode. */
  net: Dec;
}

/**
 * Adds up items that share the same resolved taxes (the same array: lines without item-specific tax data
 * share one per document, see TaxCache), so that the per-group sums below touch a handful of entries
 * instead of every line. Items with their own exemption reasons stay apart, which keeps reason checks exact.
 */
export function aggregateByTaxes(items: readonly TaxableItem[]): TaxableItem[] {
  const byTaxes = new Map<readonly ResolvedTax[], TaxableItem>();
  for (const item of items) {
    const entry = byTaxes.get(item.taxes);
    if (entry) {
      // In net mode net and entered are the same value: add once.
      const same = entry.net === entry.entered && item.net === item.entered;
      entry.entered = entry.entered.plus(item.entered);
      entry.net = same ? entry.entered : entry.net.plus(item.net);
    } else {
      byTaxes.set(item.taxes, { taxes: item.taxes, entered: item.entered, net: item.net });
    }
  }
  return [...byTaxes.values()];
}

/** Re-adds the nets of `items` into their aggregates (gross mode derives the nets after aggregating). */
export function sumNetsByTaxes(items: readonly TaxableItem[], aggregates: readonly TaxableItem[]): void {
  const nets = new Map<readonly ResolvedTax[], Dec>();
  for (const item of items) nets.set(item.taxes, nets.get(item.taxes)?.plus(item.net) ?? item.net);
  for (const aggregate of aggregates) aggregate.net = nets.get(aggregate.taxes) ?? aggregate.net;
}

/** A computed group. */
export interface TaxGroup {
  scheme: string;
  category: VatCategory;
  rate: Dec | undefined;
  taxable: Dec;
  tax: Dec;
  exemptionReason: string | undefined;
  exemptionReasonCode: string | undefined;
}

interface Accumulator extends TaxGroup {
  reasonField: string;
  ruleId: string;
}

function mergeReason(group: Accumulator, tax: ResolvedTax, errors: FieldError[]): void {
  const conflict = (field: string) =>
    addError(
      errors,
      'VALIDATION_FAILED',
      field,
      `differs from the other ${tax.category} items: one breakdown group has one exemption reason (BR-${group.ruleId}-10)`,
    );
  if (tax.exemptionReason !== undefined) {
    if (group.exemptionReason === undefined) group.exemptionReason = tax.exemptionReason;
    else if (group.exemptionReason !== tax.exemptionReason) conflict(tax.reasonField);
  }
  if (tax.exemptionReasonCode !== undefined) {
    if (group.exemptionReasonCode === undefined) group.exemptionReasonCode = tax.exemptionReasonCode;
    else if (group.exemptionReasonCode !== tax.exemptionReasonCode) conflict(tax.reasonCodeField);
  }
}

function compareGroups(a: TaxGroup, b: TaxGroup): number {
  if (a.scheme !== b.scheme)
    return a.scheme === VAT ? -1 : b.scheme === VAT ? 1 : a.scheme < b.scheme ? -1 : 1;
  const byCategory = CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category);
  if (byCategory !== 0) return byCategory;
  return (b.rate ?? ZERO).cmp(a.rate ?? ZERO);
}

/**
 * Sums the items into groups and computes each group's tax once. Records an error when the items of a
 * group give different exemption reasons, or when a group that needs one has none (possible only for a
 * group made of document-level allowances/charges, since every line states its own).
 */
export function buildTaxGroups(
  items: readonly TaxableItem[],
  minorUnits: number,
  errors: FieldError[],
): TaxGroup[] {
  const groups = new Map<string, Accumulator>();
  for (const item of items) {
    for (const tax of item.taxes) {
      let group = groups.get(tax.key);
      if (!group) {
        group = {
          scheme: tax.scheme,
          category: tax.category,
          rate: tax.rate,
          taxable: item.net,
          tax: ZERO,
          exemptionReason: undefined,
          exemptionReasonCode: undefined,
          reasonField: tax.reasonField,
          ruleId: CATEGORY_RULES[tax.category].ruleId,
        };
        groups.set(tax.key, group);
      } else {
        group.taxable = group.taxable.plus(item.net);
      }
      if (tax.exemptionReason !== undefined || tax.exemptionReasonCode !== undefined)
        mergeReason(group, tax, errors);
    }
  }
  const result: TaxGroup[] = [];
  for (const group of groups.values()) {
    const needsReason = CATEGORY_RULES[group.category].exemptionReason;
    if (needsReason && group.exemptionReason === undefined && group.exemptionReasonCode === undefined) {
      const message = `is required for category ${group.category} (BR-${group.ruleId}-10)`;
      addError(errors, 'VAT_EXEMPTION_REASON_REQUIRED', group.reasonField, message);
    }
    const tax =
      group.rate === undefined ? ZERO : round(group.taxable.times(group.rate).times(PERCENT), minorUnits);
    result.push({
      scheme: group.scheme,
      category: group.category,
      rate: group.rate,
      taxable: group.taxable,
      tax,
      exemptionReason: group.exemptionReason,
      exemptionReasonCode: group.exemptionReasonCode,
    });
  }
  return result.sort(compareGroups);
}
