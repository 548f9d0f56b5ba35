/**
 * The money of an issued invoice after issue: payments (with their credit balance and refunds),
 * reversals and credit notes, exact in decimals. `due = payable − Σapplied − Σcredited`, where
 * `payable` is the engine's amount due for payment at issue (BT-115: gross − prepaid ± rounding).
 *
 * A payment's `applied` part settles the invoice; what was paid beyond the due amount is the client's
 * credit balance. Refunds give the credit balance back first, then the applied part (so refunding an
 * overpayment leaves the invoice paid). A reversed payment counts for nothing.
 */
import { AppError, type FieldError } from '@invoice/contracts';
import { Dec, ZERO, fixed, parseDecimal, throwIfErrors } from './money/decimal.ts';

/** A payment as settlement sees it (decimal strings). */
export interface PaymentAmounts {
  amount: string;
  creditBalance: string;
  refunded: string;
  reversed: boolean;
}

/** The part of a payment that settles the invoice. */
export function appliedOf(payment: PaymentAmounts): Dec {
  if (payment.reversed) return ZERO;
  const amount = new Dec(payment.amount);
  return amount.minus(Dec.max(new Dec(payment.creditBalance), new Dec(payment.refunded)));
}

/** The credit balance a payment still holds for the client. */
export function remainingCreditOf(payment: PaymentAmounts): Dec {
  if (payment.reversed) return ZERO;
  return Dec.max(ZERO, new Dec(payment.creditBalance).minus(new Dec(payment.refunded)));
}

/** The sums stored on the invoice. */
export interface Settlement {
  paid: string;
  credited: string;
  creditBalance: string;
  due: string;
  /** Nothing is due any more. */
  settled: boolean;
  /** Some payment or credit note counts against the invoice. */
  anythingApplied: boolean;
}

/** Settles an invoice: `payable` is BT-115 at issue, `credited` the gross of its credit notes. */
export function settle(
  payable: string,
  payments: readonly PaymentAmounts[],
  credited: string,
  decimals: number,
): Settlement {
  const paid = payments.reduce((total, payment) => total.plus(appliedOf(payment)), ZERO);
  const creditBalance = payments.reduce((total, payment) => total.plus(remainingCreditOf(payment)), ZERO);
  const creditedDec = new Dec(credited);
  const due = new Dec(payable).minus(paid).minus(creditedDec);
  return {
    paid: fixed(paid, decimals),
    credited: fixed(creditedDec, decimals),
    creditBalance: fixed(creditBalance, decimals),
    due: fixed(due, decimals),
    settled: !due.isPositive() || due.isZero(),
    anythingApplied: !paid.isZero() || !creditedDec.isZero(),
  };
}

/** Parses a money amount given in a request: positive, at most the currency's minor units. */
export function parseAmount(value: string, field: string, decimals: number): Dec {
  const errors: FieldError[] = [];
  const amount = parseDecimal(value, field, errors, { maxDecimals: decimals, sign: 'positive' });
  throwIfErrors(errors);
  return amount as Dec;
}

/** How a new payment splits into what settles the invoice and what becomes credit balance. */
export function splitPayment(
  amount: Dec,
  due: string,
  allowCreditBalance: boolean,
  decimals: number,
): { creditBalance: string } {
  const dueDec = new Dec(due);
  if (amount.lte(dueDec)) return { creditBalance: fixed(ZERO, decimals) };
  if (!allowCreditBalance) {
    throw AppError.field(
      'OVERPAYMENT',
      '/amount',
      `${fixed(amount, decimals)} is more than the ${fixed(dueDec, decimals)} due; send allowCreditBalance: true to keep the excess as a credit balance`,
    );
  }
  return { creditBalance: fixed(amount.minus(Dec.max(dueDec, ZERO)), decimals) };
}

/** Checks a refund against what remains of the payment (its amount less earlier refunds). */
export function assertRefundable(payment: PaymentAmounts, refund: Dec, decimals: number): void {
  if (payment.reversed) {
    throw new AppError('PAYMENT_ALREADY_REVERSED', { detail: 'A reversed payment cannot be refunded' });
  }
  const remaining = new Dec(payment.amount).minus(new Dec(payment.refunded));
  if (refund.gt(remaining)) {
    throw AppError.field(
      'REFUND_EXCEEDS_PAYMENT',
      '/amount',
      `at most ${fixed(remaining, decimals)} of this payment can still be refunded`,
    );
  }
}
