/**
 * UNCL5305 VAT category rules of EN 16931, and the validation of one tax (VAT or a stacked tax) into its
 * (scheme, category, rate) grouping key. Rule ids: BR-S-05 (line), -06 (document allowance), -07 (document charge)
 * for the rate, -10 for the exemption reason; K is "IC", L is "AF", M is "AG" in the rule ids.
 */
import { VAT_CATEGORY_CODES, type FieldError, type VatCategory } from '@invoice/contracts';
import type { Dec } from './decimal.ts';
import { addError, atLeast, canonical, HUNDRED, MAX_INPUT_DECIMALS, parseDecimal, ZERO } from './decimal.ts';

/** What a category says about the rate. */
type RateRule = 'positive' | 'zero' | 'nonNegative' | 'none';

interface CategoryRule {
  /** S: > 0 (BR-S-05); Z, E, AE, K, G: 0, absent means 0 (BR-Z-05 ...); L, M: >= 0 (BR-AF-05); O: none (BR-O-05). */
  rate: RateRule;
  /** E, AE, K, G, O need an exemption reason text or code (BR-E-10 ...); the others must not have one. */
  exemptionReason: boolean;
  /** The category's part of the rule ids. */
  ruleId: string;
}

/** The EN 16931 rules per VAT category. */
export const CATEGORY_RULES: Readonly<Record<VatCategory, CategoryRule>> = {
  S: { rate: 'positive', exemptionReason: false, ruleId: 'S' },
  Z: { rate: 'zero', exemptionReason: false, ruleId: 'Z' },
  E: { rate: 'zero', exemptionReason: true, ruleId: 'E' },
  AE: { rate: 'zero', exemptionReason: true, ruleId: 'AE' },
  K: { rate: 'zero', exemptionReason: true, ruleId: 'IC' },
  G: { rate: 'zero', exemptionReason: true, ruleId: 'G' },
  O: { rate: 'none', exemptionReason: true, ruleId: 'O' },
  L: { rate: 'nonNegative', exemptionReason: false, ruleId: 'AF' },
  M: { rate: 'nonNegative', exemptionReason: false, ruleId: 'AG' },
};

/** Display and sort order of the categories in a breakdown. */
export const CATEGORY_ORDER: readonly VatCategory[] = VAT_CATEGORY_CODES;

/** The scheme name of the item's own VAT fields. */
export const VAT = 'VAT';

/** One tax applied to an item, validated: it decides the (scheme, category, rate) group. */
export interface ResolvedTax {
  scheme: string;
  category: VatCategory;
  /** Undefined only for category O. */
  rate: Dec | undefined;
  /** The rate as the result shows it ("19.00", "9.975"). */
  rateText: string | undefined;
  /** Grouping key: scheme, category and canonical rate ("19" and "19.00" group together). */
  key: string;
  exemptionReason: string | undefined;
  exemptionReasonCode: string | undefined;
  reasonField: string;
  reasonCodeField: string;
}

/** Where an item sits, for rule ids: an invoice line, a document allowance or a document charge. */
export type ItemKind = 'line' | 'allowance' | 'charge';
const RULE_SUFFIX: Record<ItemKind, string> = { line: '05', allowance: '06', charge: '07' };

/** One tax to validate, with the JSON pointers of its fields. */
export interface TaxSpec {
  scheme: string;
  category: unknown;
  rate: string | undefined;
  reason: string | undefined;
  reasonCode: string | undefined;
  /** JSON pointers of the category, rate, reason and reason code fields. */
  at: { category: string; rate: string; reason: string; reasonCode: string };
  kind: ItemKind;
  /** Lines must state their own exemption reason; document allowances/charges may rely on a line's. */
  requireReason: boolean;
}

function isCategory(value: unknown): value is VatCategory {
  return typeof value === 'string' && Object.hasOwn(CATEGORY_RULES, value);
}

function resolveRate(spec: TaxSpec, rule: CategoryRule, errors: FieldError[]): Dec | undefined | false {
  const category = spec.category as VatCategory;
  const id = `BR-${rule.ruleId}-${RULE_SUFFIX[spec.kind]}`;
  if (spec.rate === undefined) {
    if (rule.rate === 'zero') return ZERO;
    if (rule.rate === 'none') return undefined;
    addError(
      errors,
      'VAT_RATE_REQUIRED',
      spec.at.rate,
      `is required for ${spec.scheme} category ${category} (${id})`,
    );
    return false;
  }
  const rate = parseDecimal(spec.rate, spec.at.rate, errors, {
    maxDecimals: MAX_INPUT_DECIMALS,
    sign: 'nonNegative',
  });
  if (!rate) return false;
  const notAllowed =
    rule.rate === 'none'
      ? `must be absent for category O (${id})`
      : rule.rate === 'zero' && !rate.isZero()
        ? `must be 0 for category ${category} (${id})`
        : rule.rate === 'positive' && rate.isZero()
          ? `must be greater than 0 for category S (${id}); use category Z for zero-rated supplies`
          : undefined;
  if (notAllowed) {
    addError(errors, 'VAT_RATE_NOT_ALLOWED', spec.at.rate, notAllowed);
    return false;
  }
  if (rate.gt(HUNDRED)) {
    addError(errors, 'AMOUNT_OUT_OF_RANGE', spec.at.rate, 'must be at most 100');
    return false;
  }
  return rate;
}

/** Validates one tax against its category's rules; records field errors and returns undefined on failure. */
export function resolveTax(spec: TaxSpec, errors: FieldError[]): ResolvedTax | undefined {
  if (!isCategory(spec.category)) {
    addError(errors, 'VALIDATION_FAILED', spec.at.category, `must be one of ${CATEGORY_ORDER.join(', ')}`);
    return undefined;
  }
  const category = spec.category;
  const rule = CATEGORY_RULES[category];
  const rate = resolveRate(spec, rule, errors);
  const hasReason = Boolean(spec.reason) || Boolean(spec.reasonCode);
  let ok = rate !== false;
  if (rule.exemptionReason && !hasReason && spec.requireReason) {
    const id = `BR-${rule.ruleId}-10`;
    addError(
      errors,
      'VAT_EXEMPTION_REASON_REQUIRED',
      spec.at.reason,
      `is required for category ${category} (${id})`,
    );
    ok = false;
  }
  if (!rule.exemptionReason && hasReason) {
    const field = spec.reason ? spec.at.reason : spec.at.reasonCode;
    addError(
      errors,
      'VALIDATION_FAILED',
      field,
      `must be absent for category ${category} (BR-${rule.ruleId}-10)`,
    );
    ok = false;
  }
  if (!ok || rate === false) return undefined;
  return {
    scheme: spec.scheme,
    category,
    rate,
    rateText: rate === undefined ? undefined : atLeast(rate, 2),
    key: `${spec.scheme}|${category}|${rate === undefined ? '-' : canonical(rate)}`,
    exemptionReason: spec.reason || undefined,
    exemptionReasonCode: spec.reasonCode || undefined,
    reasonField: spec.at.reason,
    reasonCodeField: spec.at.reasonCode,
  };
}
