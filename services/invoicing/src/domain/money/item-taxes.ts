/**
 * The taxes of one item (a line or a document-level allowance/charge): its VAT first, then any stacked
 * taxes, each validated by the category rules of vat.ts and keyed for grouping.
 */
import type { FieldError, TaxInput } from '@invoice/contracts';
import { addError } from './decimal.ts';
import { resolveTax, VAT, type ItemKind, type ResolvedTax } from './vat.ts';

/** The tax fields shared by lines and document-level allowances/charges. */
export interface TaxedItemInput {
  vatCategory: unknown;
  vatRate?: string | undefined;
  vatExemptionReason?: string | undefined;
  vatExemptionReasonCode?: string | undefined;
  taxes?: readonly TaxInput[] | undefined;
}

/** Memo of resolved taxes for items that carry nothing item-specific (no reason, no stacked taxes). */
export type TaxCache = Map<string, ResolvedTax[]>;

/**
 * Resolves an item's VAT (first) and its stacked taxes. Stacked taxes use the same category rules,
 * may not be called VAT, and each scheme appears at most once per item.
 */
export function resolveItemTaxes(
  item: TaxedItemInput,
  at: string,
  kind: ItemKind,
  errors: FieldError[],
  cache?: TaxCache,
): ResolvedTax[] | undefined {
  // Most lines share a handful of (category, rate) pairs: resolve each pair once per document.
  const plain = cache && !item.taxes?.length && !item.vatExemptionReason && !item.vatExemptionReasonCode;
  const cacheKey = plain ? `${String(item.vatCategory)}|${item.vatRate ?? ''}` : '';
  const cached = plain ? cache.get(cacheKey) : undefined;
  if (cached) return cached;
  const resolved = resolveUncached(item, at, kind, errors);
  if (plain && resolved) cache.set(cacheKey, resolved);
  return resolved;
}

function resolveUncached(
  item: TaxedItemInput,
  at: string,
  kind: ItemKind,
  errors: FieldError[],
): ResolvedTax[] | undefined {
  const requireReason = kind === 'line';
  const vat = resolveTax(
    {
      scheme: VAT,
      category: item.vatCategory,
      rate: item.vatRate,
      reason: item.vatExemptionReason,
      reasonCode: item.vatExemptionReasonCode,
      at: {
        category: `${at}/vatCategory`,
        rate: `${at}/vatRate`,
        reason: `${at}/vatExemptionReason`,
        reasonCode: `${at}/vatExemptionReasonCode`,
      },
      kind,
      requireReason,
    },
    errors,
  );
  const resolved: (ResolvedTax | undefined)[] = [vat];
  const seen = new Set<string>();
  (item.taxes ?? []).forEach((tax, j) => {
    const base = `${at}/taxes/${j}`;
    if (tax.scheme === VAT || seen.has(tax.scheme)) {
      const why =
        tax.scheme === VAT ? 'VAT is given by vatCategory and vatRate' : 'appears twice on this item';
      addError(errors, 'VALIDATION_FAILED', `${base}/scheme`, why);
      resolved.push(undefined);
      return;
    }
    seen.add(tax.scheme);
    const fields = { category: `${base}/category`, rate: `${base}/rate`, reason: `${base}/exemptionReason` };
    resolved.push(
      resolveTax(
        {
          scheme: tax.scheme,
          category: tax.category ?? 'S',
          rate: tax.rate,
          reason: tax.exemptionReason,
          reasonCode: undefined,
          at: { ...fields, reasonCode: fields.reason },
          kind,
          requireReason,
        },
        errors,
      ),
    );
  });
  return resolved.every((tax): tax is ResolvedTax => tax !== undefined) ? resolved : undefined;
}
