/**
 * Tax-inclusive entry (priceMode "gross"), converted to the same net model. Per VAT group (category, rate):
 *
 *   G = Σ tax-inclusive contributions of its items (lines + charges − allowances, each already rounded)
 *   T = round(G × 100 ÷ (100 + rate))                         the group's taxable amount (BT-116)
 *
 * T is spread over the items: each item's net is its exact share G_i × 100 ÷ (100 + rate), rounded; the few
 * minor units by which those rounded shares miss T go, one each, to the items whose shares were rounded
 * furthest the other way (largest remainder; ties by position), so Σ item nets = T exactly (BR-S-08).
 * VAT is then computed from T exactly as in net mode (BR-S-09, BR-CO-17). Whatever is left,
 * G − (T + VAT), is at most one minor unit per group (for rates up to 100 %): the document reports it as
 * the rounding amount (BT-114), so the amount due equals the entered gross total and no tax amount is bent.
 *
 * The shares are integer quotients: amounts in minor units (BigInt) × 100·10^k ÷ (100 + rate)·10^k, where
 * k is the rate's decimals. That is exact, gives exact remainders to compare, and avoids a decimal
 * division per line, which would otherwise dominate the cost of a gross-priced document.
 */
import { Dec, fixed, ZERO } from './decimal.ts';
import type { TaxableItem } from './breakdown.ts';

/** 100 ÷ (100 + rate) as a fraction of integers. */
interface Ratio {
  times: bigint;
  divide: bigint;
}

const ratios = new WeakMap<Dec, Ratio>();

/** The ratio for a rate, memoized per rate value (the lines of a document share their rate objects). */
function ratioOf(rate: Dec): Ratio {
  let ratio = ratios.get(rate);
  if (!ratio) {
    const decimals = rate.decimalPlaces();
    const scale = 10n ** BigInt(decimals);
    ratio = { times: 100n * scale, divide: BigInt(fixed(rate.plus(100), decimals).replace('.', '')) };
    ratios.set(rate, ratio);
  }
  return ratio;
}

/** An amount with at most `decimals` decimals as an integer count of 10^-decimals. */
function toUnits(value: Dec, decimals: number): bigint {
  return BigInt(fixed(value, decimals).replace('.', ''));
}

/** Writes a count of 10^-decimals as a plain decimal string ("-12.345"). */
function unitsToText(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = String(negative ? -units : units).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return negative ? `-${text}` : text;
}

function fromUnits(units: bigint, decimals: number): Dec {
  return units === 0n ? ZERO : new Dec(unitsToText(units, decimals));
}

/** n ÷ d (d > 0) rounded half away from zero, with what is left of n: exact share = quotient + left ÷ d. */
function divideRounded(n: bigint, d: bigint): { quotient: bigint; left: bigint } {
  let quotient = n / d; // truncates toward zero
  const rest = n - quotient * d;
  if (2n * (rest < 0n ? -rest : rest) >= d) quotient += n < 0n ? -1n : 1n;
  return { quotient, left: n - quotient * d };
}

function spread(group: readonly TaxableItem[], grossSum: Dec, rate: Dec, minorUnits: number): void {
  const { times, divide } = ratioOf(rate);
  const shares = group.map((item) => divideRounded(toUnits(item.entered, minorUnits) * times, divide));
  const taxable = divideRounded(toUnits(grossSum, minorUnits) * times, divide).quotient;
  let missing = taxable;
  for (const share of shares) missing -= share.quotient;
  if (missing !== 0n) {
    const direction = missing > 0n ? 1n : -1n;
    // Largest remainder first when units are missing, smallest first when there is one too many.
    const order = shares
      .map((_, i) => i)
      .filter((i) => !group[i]?.entered.isZero())
      .sort((a, b) => {
        const left = (shares[b]?.left ?? 0n) - (shares[a]?.left ?? 0n);
        const byLeft = left === 0n ? 0 : left > 0n === direction > 0n ? 1 : -1;
        return byLeft || a - b;
      });
    const count = Number(missing < 0n ? -missing : missing);
    for (const i of order.slice(0, count)) (shares[i] as { quotient: bigint }).quotient += direction;
  }
  group.forEach((item, i) => {
    item.net = fromUnits(shares[i]?.quotient ?? 0n, minorUnits);
  });
}

/**
 * Sets every item's `net` from its tax-inclusive `entered` amount, group by VAT group. `sums` are the same
 * items already added up (any grouping finer than the VAT group), to take each group's gross total from.
 */
export function deriveNetsFromGross(
  items: readonly TaxableItem[],
  sums: readonly TaxableItem[],
  minorUnits: number,
): void {
  const grossSums = new Map<string, Dec>();
  for (const sum of sums) {
    const key = sum.taxes[0]?.key ?? '';
    grossSums.set(key, grossSums.get(key)?.plus(sum.entered) ?? sum.entered);
  }
  const groups = new Map<string, TaxableItem[]>();
  for (const item of items) {
    const key = item.taxes[0]?.key ?? '';
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  for (const [key, group] of groups) {
    const rate = group[0]?.taxes[0]?.rate;
    if (rate && !rate.isZero()) spread(group, grossSums.get(key) ?? ZERO, rate, minorUnits);
    else for (const item of group) item.net = item.entered;
  }
}

function netUnitPriceUnits(price: Dec, rate: Dec): bigint {
  const { times, divide } = ratioOf(rate);
  return divideRounded(toUnits(price, 6) * times, divide).quotient;
}

/** Derives a net unit price (BT-146) from a tax-inclusive one (at most 6 decimals), to 6 decimals. */
export function netUnitPriceFromGross(price: Dec, rate: Dec | undefined): Dec {
  if (!rate || rate.isZero()) return price;
  return fromUnits(netUnitPriceUnits(price, rate), 6);
}

/** The same as text with at least `minorUnits` decimals ("420.168067", "12.50"), without a decimal object. */
export function netUnitPriceTextFromGross(
  price: Dec,
  rate: Dec | undefined,
  minorUnits: number,
): string | undefined {
  if (!rate || rate.isZero()) return undefined;
  const text = unitsToText(netUnitPriceUnits(price, rate), 6);
  let end = text.length;
  const shortest = text.length - 6 + minorUnits;
  while (end > shortest && text.charCodeAt(end - 1) === 48) end--;
  return text.slice(0, minorUnits === 0 && end === shortest ? end - 1 : end);
}
