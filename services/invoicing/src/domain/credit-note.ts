/**
 * What a credit note credits, priced by the same money engine as the invoice: chosen lines and
 * quantities (the invoice lines' prices, VAT and allowances, scaled to the quantity), a net amount per
 * VAT group, or everything that remains. Never more than remains creditable: per line, the quantity
 * not credited yet; per VAT group (category and rate), the taxable amount not credited yet.
 */
import {
  AppError,
  type AllowanceCharge,
  type CreateCreditNoteBody,
  type DocumentPricingResult,
  type FieldError,
  type LineAllowanceCharge,
  type LineInput,
  type PriceMode,
  type VatBreakdown,
} from '@invoice/contracts';
import {
  Dec,
  MAX_INPUT_DECIMALS,
  ZERO,
  canonical,
  fixed,
  parseDecimal,
  round,
  throwIfErrors,
} from './money/decimal.ts';
import type { PricingState } from './pricing.ts';

/** The invoice as a credit note sees it. */
export interface CreditableInvoice {
  number: string;
  currency: string;
  priceMode: PriceMode;
  lines: (LineInput & { position: number })[];
  allowances: AllowanceCharge[];
  charges: AllowanceCharge[];
  vatBreakdown: VatBreakdown[];
  decimals: number;
}

/** What earlier credit notes of the invoice credited. */
export interface PriorCredits {
  vatBreakdowns: VatBreakdown[][];
  /** Quantity credited per invoice line position. */
  quantities: Map<number, string>;
}

/** The credit note's engine input and, per line, the invoice line it credits. */
export interface CreditNoteDraft {
  state: PricingState;
  creditedPositions: (number | null)[];
  /** Which request field an over-credit points at. */
  field: '/lines' | '/amounts' | '';
}

/** `S|19`: a VAT group's key (the rate in canonical decimals, none for categories without one). */
export function vatGroupKey(category: string, rate: string | undefined): string {
  return `${category}|${rate === undefined ? '' : canonical(new Dec(rate))}`;
}

function creditedTaxable(prior: PriorCredits): Map<string, Dec> {
  const sums = new Map<string, Dec>();
  for (const breakdown of prior.vatBreakdowns) {
    for (const group of breakdown) {
      const key = vatGroupKey(group.category, group.rate);
      sums.set(key, (sums.get(key) ?? ZERO).plus(new Dec(group.taxable)));
    }
  }
  return sums;
}

/** The taxable amount per VAT group that is not credited yet. */
export function remainingTaxable(invoice: CreditableInvoice, prior: PriorCredits): Map<string, Dec> {
  const credited = creditedTaxable(prior);
  return new Map(
    invoice.vatBreakdown.map((group) => {
      const key = vatGroupKey(group.category, group.rate);
      return [key, new Dec(group.taxable).minus(credited.get(key) ?? ZERO)];
    }),
  );
}

/** Builds the credit note's engine input from the request (VALIDATION_FAILED / CREDIT_EXCEEDS_CREDITABLE). */
export function draftCreditNote(
  invoice: CreditableInvoice,
  prior: PriorCredits,
  body: CreateCreditNoteBody,
): CreditNoteDraft {
  if (body.lines && body.amounts) {
    throw AppError.field('VALIDATION_FAILED', '/amounts', 'give either lines or amounts, not both');
  }
  if (body.lines) return byLines(invoice, prior, body.lines);
  if (body.amounts) return byAmounts(invoice, body.amounts);
  return remainder(invoice, prior);
}

function base(invoice: CreditableInvoice, priceMode: PriceMode) {
  return { currency: invoice.currency, priceMode, prepaid: undefined };
}

/** Everything: the invoice mirrored when nothing was credited yet, else what remains per VAT group. */
function remainder(invoice: CreditableInvoice, prior: PriorCredits): CreditNoteDraft {
  if (prior.vatBreakdowns.length === 0) {
    return {
      state: {
        ...base(invoice, invoice.priceMode),
        lines: invoice.lines.map(({ position: _position, ...line }) => line),
        allowances: invoice.allowances,
        charges: invoice.charges,
      },
      creditedPositions: invoice.lines.map((line) => line.position),
      field: '',
    };
  }
  const remaining = remainingTaxable(invoice, prior);
  const amounts = invoice.vatBreakdown.flatMap((group) => {
    const net = remaining.get(vatGroupKey(group.category, group.rate)) ?? ZERO;
    return net.isPositive() && !net.isZero()
      ? [{ vatCategory: group.category, vatRate: group.rate, net: fixed(net, invoice.decimals) }]
      : [];
  });
  if (amounts.length === 0) {
    throw new AppError('NOTHING_TO_CREDIT', { detail: 'Every VAT group of the invoice is credited in full' });
  }
  return { ...byAmounts(invoice, amounts), field: '' };
}

function byAmounts(
  invoice: CreditableInvoice,
  amounts: NonNullable<CreateCreditNoteBody['amounts']>,
): CreditNoteDraft {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const lines: LineInput[] = [];
  amounts.forEach((entry, i) => {
    const key = vatGroupKey(entry.vatCategory, entry.vatRate);
    const group = invoice.vatBreakdown.find((g) => vatGroupKey(g.category, g.rate) === key);
    if (!group || seen.has(key)) {
      const message = group
        ? 'this VAT group is given twice'
        : 'the invoice has no such VAT category and rate';
      errors.push({ field: `/amounts/${i}/vatRate`, message, code: 'VALIDATION_FAILED' });
      return;
    }
    seen.add(key);
    const net = parseDecimal(entry.net, `/amounts/${i}/net`, errors, {
      maxDecimals: invoice.decimals,
      sign: 'positive',
    });
    if (!net) return;
    const rate = group.rate === undefined ? '' : ` ${canonical(new Dec(group.rate))} %`;
    lines.push({
      description: `Credit on invoice ${invoice.number} (VAT ${group.category}${rate})`,
      quantity: '1',
      unitCode: 'C62',
      unitPrice: fixed(net, invoice.decimals),
      vatCategory: group.category,
      ...(group.rate === undefined ? {} : { vatRate: canonical(new Dec(group.rate)) }),
      ...(group.exemptionReason ? { vatExemptionReason: group.exemptionReason } : {}),
      ...(group.exemptionReasonCode ? { vatExemptionReasonCode: group.exemptionReasonCode } : {}),
    });
  });
  throwIfErrors(errors);
  return {
    state: { ...base(invoice, 'net'), lines, allowances: [], charges: [] },
    creditedPositions: lines.map(() => null),
    field: '/amounts',
  };
}

function byLines(
  invoice: CreditableInvoice,
  prior: PriorCredits,
  chosen: NonNullable<CreateCreditNoteBody['lines']>,
): CreditNoteDraft {
  const errors: FieldError[] = [];
  const seen = new Set<number>();
  const lines: LineInput[] = [];
  chosen.forEach((entry, i) => {
    const source = invoice.lines.find((line) => line.position === entry.position);
    if (!source || seen.has(entry.position) || new Dec(source.quantity).lte(0)) {
      const message = !source
        ? 'the invoice has no line at this position'
        : seen.has(entry.position)
          ? 'this line is given twice'
          : 'a correction line cannot be credited';
      errors.push({ field: `/lines/${i}/position`, message, code: 'VALIDATION_FAILED' });
      return;
    }
    seen.add(entry.position);
    const quantity = parseDecimal(entry.quantity, `/lines/${i}/quantity`, errors, {
      maxDecimals: MAX_INPUT_DECIMALS,
      sign: 'positive',
    });
    if (!quantity) return;
    const remaining = new Dec(source.quantity).minus(new Dec(prior.quantities.get(entry.position) ?? '0'));
    if (quantity.gt(remaining)) {
      errors.push({
        field: `/lines/${i}/quantity`,
        message: `at most ${canonical(remaining)} of this line can still be credited`,
        code: 'CREDIT_EXCEEDS_CREDITABLE',
      });
      return;
    }
    lines.push(scaledLine(source, quantity, invoice.decimals));
  });
  if (errors.some((error) => error.code === 'CREDIT_EXCEEDS_CREDITABLE')) {
    throw new AppError('CREDIT_EXCEEDS_CREDITABLE', { errors });
  }
  throwIfErrors(errors);
  return {
    state: {
      ...base(invoice, invoice.priceMode),
      lines,
      allowances: documentLevel(invoice.allowances, 'allowances'),
      charges: documentLevel(invoice.charges, 'charges'),
    },
    creditedPositions: chosen.map((entry) => entry.position),
    field: '/lines',
  };
}

/** The invoice line for `quantity`: fixed allowance and charge amounts in proportion, percentages kept. */
function scaledLine(source: LineInput & { position: number }, quantity: Dec, decimals: number): LineInput {
  const { position: _position, ...line } = source;
  const share = quantity.div(new Dec(source.quantity));
  const scale = (entries: LineAllowanceCharge[] | undefined) =>
    entries?.map((entry): LineAllowanceCharge => {
      const { amount, percent, base: _base, ...rest } = entry;
      if (percent !== undefined) return { ...rest, percent };
      return { ...rest, amount: fixed(round(new Dec(amount ?? '0').times(share), decimals), decimals) };
    });
  return {
    ...line,
    quantity: canonical(quantity),
    ...(line.allowances ? { allowances: scale(line.allowances) } : {}),
    ...(line.charges ? { charges: scale(line.charges) } : {}),
  };
}

/**
 * Document-level allowances and charges of a partial credit: a percentage applies to the credited
 * lines as it applied to the invoice's; a fixed amount has no share to take, so such an invoice is
 * credited by amounts per VAT rate.
 */
function documentLevel(entries: AllowanceCharge[], kind: string): AllowanceCharge[] {
  return entries.map((entry) => {
    if (entry.percent === undefined) {
      throw AppError.field(
        'VALIDATION_FAILED',
        '/lines',
        `the invoice has fixed document-level ${kind}: credit it by amounts per VAT rate`,
      );
    }
    const { amount: _amount, base: _base, ...rest } = entry;
    return rest;
  });
}

/** Refuses a credit note whose taxable amount in any VAT group exceeds what remains creditable there. */
export function assertWithinCreditable(
  invoice: CreditableInvoice,
  prior: PriorCredits,
  pricing: DocumentPricingResult,
  field: string,
): void {
  const remaining = remainingTaxable(invoice, prior);
  for (const group of pricing.vatBreakdown) {
    const left = remaining.get(vatGroupKey(group.category, group.rate)) ?? ZERO;
    if (new Dec(group.taxable).gt(left)) {
      const rate = group.rate === undefined ? '' : ` ${canonical(new Dec(group.rate))} %`;
      throw new AppError('CREDIT_EXCEEDS_CREDITABLE', {
        detail: `VAT ${group.category}${rate}: ${group.taxable} asked, ${fixed(Dec.max(left, ZERO), invoice.decimals)} remains creditable`,
        errors: [
          {
            field: field || '/',
            message: `at most ${fixed(Dec.max(left, ZERO), invoice.decimals)} of VAT ${group.category}${rate} remains creditable`,
            code: 'CREDIT_EXCEEDS_CREDITABLE',
          },
        ],
      });
    }
  }
}
