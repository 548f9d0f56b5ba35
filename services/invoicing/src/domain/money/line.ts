/**
 * One invoice line (BG-25): line net amount (BT-131) = quantity (BT-129) × net price (BT-146) ÷ price base
 * quantity (BT-149), rounded to the currency's minor unit, − line allowances (BT-136) + line charges (BT-141).
 * In gross price mode the same formula gives the tax-inclusive line amount; its net is derived later
 * for the whole VAT group (see gross-mode.ts).
 */
import type { LineInput } from '@invoice/contracts';
import {
  isDefined,
  priceAllowanceCharge,
  type AllowanceOrCharge,
  type PricedAllowanceCharge,
  type PricingContext,
} from './allowance-charge.ts';
import type { Dec } from './decimal.ts';
import { addError, fitsRange, MAX_INPUT_DECIMALS, ONE, parseDecimal, round, sum } from './decimal.ts';
import { resolveItemTaxes } from './item-taxes.ts';
import type { ResolvedTax } from './vat.ts';

/** A priced line. Amounts are signed (negative quantity, negative amounts) and in the price mode. */
export interface PricedLine {
  /** quantity × unit price ÷ price base quantity, rounded. */
  amount: Dec;
  allowances: PricedAllowanceCharge[];
  charges: PricedAllowanceCharge[];
  /** amount − allowances + charges: the net (net mode) or the tax-inclusive amount (gross mode). */
  entered: Dec;
  /** Line net amount (BT-131); equals `entered` in net mode, derived in gross mode. */
  net: Dec;
  unitPrice: Dec;
  /** The unit price as entered, reused in the result when it is already canonical. */
  unitPriceText: string;
  grossUnitPrice: Dec | undefined;
  /** VAT first, then stacked taxes. */
  taxes: ResolvedTax[];
}

function parseLineNumbers(line: LineInput, at: string, ctx: PricingContext) {
  const { errors } = ctx;
  const decimals = { maxDecimals: MAX_INPUT_DECIMALS } as const;
  const quantity = parseDecimal(line.quantity, `${at}/quantity`, errors, decimals);
  const unitPrice = parseDecimal(line.unitPrice, `${at}/unitPrice`, errors, {
    ...decimals,
    sign: 'nonNegative',
    because: 'BR-27',
  });
  const baseQuantity =
    line.priceBaseQuantity === undefined
      ? ONE
      : parseDecimal(line.priceBaseQuantity, `${at}/priceBaseQuantity`, errors, {
          ...decimals,
          sign: 'positive',
        });
  const grossUnitPrice =
    line.grossUnitPrice === undefined
      ? undefined
      : parseDecimal(line.grossUnitPrice, `${at}/grossUnitPrice`, errors, {
          ...decimals,
          sign: 'nonNegative',
          because: 'BR-28',
        });
  if (grossUnitPrice && unitPrice && grossUnitPrice.lt(unitPrice)) {
    const message = 'must not be below unitPrice: the price discount (BT-147) would be negative';
    addError(errors, 'VALIDATION_FAILED', `${at}/grossUnitPrice`, message);
  }
  return { quantity, unitPrice, baseQuantity, grossUnitPrice };
}

function priceList(
  inputs: LineInput['allowances'],
  at: string,
  kind: AllowanceOrCharge,
  magnitude: Dec,
  sign: 1 | -1,
  ctx: PricingContext,
): PricedAllowanceCharge[] | undefined {
  const list = kind === 'allowance' ? 'allowances' : 'charges';
  const priced = (inputs ?? []).map((ac, j) =>
    priceAllowanceCharge(ac, `${at}/${list}/${j}`, kind, magnitude, sign, ctx),
  );
  return priced.every(isDefined) ? priced : undefined;
}

/** Prices one line, recording field errors in the context; undefined when the line is not valid. */
export function priceLine(line: LineInput, index: number, ctx: PricingContext): PricedLine | undefined {
  const at = `/lines/${index}`;
  const { errors } = ctx;
  const before = errors.length;
  const { quantity, unitPrice, baseQuantity, grossUnitPrice } = parseLineNumbers(line, at, ctx);
  const taxes = resolveItemTaxes(line, at, 'line', errors, ctx.taxCache);
  if (ctx.priceMode === 'gross' && line.taxes?.length) {
    addError(errors, 'VALIDATION_FAILED', `${at}/taxes`, 'stacked taxes need priceMode "net"');
  }
  if (!quantity || !unitPrice || !baseQuantity || !taxes || errors.length > before) return undefined;

  const product = quantity.times(unitPrice);
  const amount = round(baseQuantity.eq(ONE) ? product : product.div(baseQuantity), ctx.minorUnits);
  if (!fitsRange(amount)) {
    const message = 'quantity × unitPrice ÷ priceBaseQuantity must have at most 15 integer digits';
    addError(errors, 'AMOUNT_OUT_OF_RANGE', at, message);
    return undefined;
  }
  if (!line.allowances?.length && !line.charges?.length) {
    const unitPriceText = line.unitPrice;
    return {
      amount,
      allowances: [],
      charges: [],
      entered: amount,
      net: amount,
      unitPrice,
      unitPriceText,
      grossUnitPrice,
      taxes,
    };
  }
  // A correction line (negative quantity) mirrors the original: its allowances and charges turn negative too.
  const sign = quantity.isNegative() ? -1 : 1;
  const magnitude = amount.abs();
  const allowances = priceList(line.allowances, at, 'allowance', magnitude, sign, ctx);
  const charges = priceList(line.charges, at, 'charge', magnitude, sign, ctx);
  if (!allowances || !charges) return undefined;

  const allowanceTotal = allowances.length === 0 ? undefined : sum(allowances.map((a) => a.amount));
  const chargeTotal = charges.length === 0 ? undefined : sum(charges.map((c) => c.amount));
  if (allowanceTotal && allowanceTotal.abs().gt(magnitude.plus(chargeTotal?.abs() ?? 0))) {
    const message = `exceed the line amount (${amount.toFixed()}) plus its charges`;
    addError(errors, 'ALLOWANCE_EXCEEDS_BASE', `${at}/allowances`, message);
    return undefined;
  }
  let entered = amount;
  if (allowanceTotal) entered = entered.minus(allowanceTotal);
  if (chargeTotal) entered = entered.plus(chargeTotal);
  if (!fitsRange(entered)) {
    addError(errors, 'AMOUNT_OUT_OF_RANGE', at, 'the line amount must have at most 15 integer digits');
    return undefined;
  }
  return {
    amount,
    allowances,
    charges,
    entered,
    net: entered,
    unitPrice,
    unitPriceText: line.unitPrice,
    grossUnitPrice,
    taxes,
  };
}
