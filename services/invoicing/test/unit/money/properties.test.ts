import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DocumentPricingInput, DocumentPricingResult, LineInput } from '@invoice/contracts';
import { checkEn16931Invariants, computeTotals, currencyInfo } from '../../../src/domain/money/index.ts';
import { Dec } from '../../../src/domain/money/decimal.ts';
import { docArb } from './arbitraries.ts';

const RUNS = { numRuns: 300 };
const d = (value: string | undefined) => new Dec(value ?? '0');
const total = (values: (string | undefined)[]) => values.reduce((acc, v) => acc.plus(d(v)), new Dec(0));
const unitOf = (currency: string) => new Dec(10).pow(-currencyInfo(currency).minorUnits);
const negate = (value: string) =>
  /^-/.test(value) ? value.slice(1) : /^[0.]+$/.test(value) ? value : `-${value}`;

describe('properties of the money engine (fast-check)', () => {
  it('satisfies BR-CO-10..17 and BR-xx-08/-09 exactly for random valid documents', () => {
    fc.assert(
      fc.property(docArb(), (input) => {
        const result = computeTotals(input);
        assert.deepEqual(checkEn16931Invariants(result), []);
      }),
      RUNS,
    );
  });

  it('makes the amount due equal the entered gross total in gross mode, the residual shown as rounding', () => {
    fc.assert(
      fc.property(docArb({ priceMode: 'gross' }), (input) => {
        const { cashRoundingIncrement: _ignored, ...exact } = input;
        const result = computeTotals(exact);
        const entered = total(result.lines.map((l) => l.gross))
          .minus(total(result.allowances.map((a) => a.grossAmount)))
          .plus(total(result.charges.map((c) => c.grossAmount)));
        assert.ok(d(result.totals.due).eq(entered.minus(d(result.totals.prepaid))));
        // At most one minor unit per VAT group (rates up to 100 %), never hidden in VAT.
        const limit = unitOf(input.currency).times(result.vatBreakdown.length);
        assert.ok(d(result.totals.rounding).abs().lte(limit), `rounding ${result.totals.rounding}`);
      }),
      RUNS,
    );
  });

  it('keeps rounding at zero in net mode without cash rounding', () => {
    fc.assert(
      fc.property(docArb({ priceMode: 'net' }), (input) => {
        const { cashRoundingIncrement: _ignored, ...exact } = input;
        assert.ok(d(computeTotals(exact).totals.rounding).isZero());
      }),
      RUNS,
    );
  });

  it('gives the same totals and breakdowns whatever the line order', () => {
    const pair = docArb().chain((input) =>
      fc
        .shuffledSubarray(input.lines, { minLength: input.lines.length, maxLength: input.lines.length })
        .map((lines): [DocumentPricingInput, DocumentPricingInput] => [input, { ...input, lines }]),
    );
    fc.assert(
      fc.property(pair, ([input, shuffled]) => {
        const a = computeTotals(input);
        const b = computeTotals(shuffled);
        assert.deepEqual(b.totals, a.totals);
        assert.deepEqual(b.vatBreakdown, a.vatBreakdown);
        assert.deepEqual(b.taxBreakdown, a.taxBreakdown);
        if (input.priceMode === 'net') {
          const nets = (r: DocumentPricingResult) => r.lines.map((l) => l.net).sort();
          assert.deepEqual(nets(b), nets(a));
        }
      }),
      RUNS,
    );
  });

  it('moves VAT by at most one minor unit per group when a line is split in two at the same price', () => {
    // Documented rule: each part is rounded on its own, so the line net total, hence a group's taxable
    // amount, moves by at most one minor unit; with rates below 100 % its tax then moves by at most one.
    const split = docArb({ priceMode: 'net', plain: true, linesOnly: true }).chain((input) =>
      fc
        .record({ index: fc.nat({ max: input.lines.length - 1 }), tenths: fc.integer({ min: 1, max: 9 }) })
        .map(({ index, tenths }) => {
          const original = input.lines[index] as LineInput;
          const first = d(original.quantity).times(tenths).div(10).toDecimalPlaces(3);
          const parts = [first, d(original.quantity).minus(first)].map((q) => ({
            ...original,
            quantity: q.toFixed(),
          }));
          const lines = [...input.lines.slice(0, index), ...parts, ...input.lines.slice(index + 1)];
          return [input, { ...input, lines }] as const;
        }),
    );
    fc.assert(
      fc.property(split, ([input, splitInput]) => {
        const a = computeTotals(input);
        const b = computeTotals(splitInput);
        const unit = unitOf(input.currency);
        assert.ok(d(b.totals.lineNet).minus(d(a.totals.lineNet)).abs().lte(unit));
        for (const [i, group] of a.vatBreakdown.entries()) {
          const other = b.vatBreakdown[i];
          assert.equal(other?.category, group.category);
          assert.ok(d(other?.tax).minus(d(group.tax)).abs().lte(unit), `${group.tax} vs ${other?.tax}`);
        }
      }),
      RUNS,
    );
  });

  it('changes nothing when a line with whole quantities and cent prices is split', () => {
    const input = (lines: LineInput[]): DocumentPricingInput => ({ currency: 'EUR', lines });
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 500 }),
        fc.integer({ min: 0, max: 99_999 }),
        (quantity, cents) => {
          const base = {
            description: 'x',
            unitCode: 'C62',
            unitPrice: (cents / 100).toFixed(2),
            vatCategory: 'S',
            vatRate: '19',
          } as const;
          const whole = computeTotals(input([{ ...base, quantity: String(quantity) }]));
          const parts = computeTotals(
            input([
              { ...base, quantity: '1' },
              { ...base, quantity: String(quantity - 1) },
            ]),
          );
          assert.deepEqual(parts.totals, whole.totals);
        },
      ),
      RUNS,
    );
  });

  it('negates every amount when every quantity is negated (credit corrections mirror exactly)', () => {
    const docs = docArb({ positive: true }).map((input): DocumentPricingInput => {
      const { charges: _charges, prepaid: _prepaid, ...rest } = input;
      return rest;
    });
    fc.assert(
      fc.property(docs, (input) => {
        const mirrored = { ...input, lines: input.lines.map((l) => ({ ...l, quantity: `-${l.quantity}` })) };
        const a = computeTotals(input);
        const b = computeTotals(mirrored);
        for (const [name, value] of Object.entries(a.totals)) {
          if (name !== 'prepaid') assert.equal(b.totals[name as keyof typeof b.totals], negate(value), name);
        }
        assert.deepEqual(
          b.lines.map((l) => l.net),
          a.lines.map((l) => negate(l.net)),
        );
        assert.deepEqual(
          b.vatBreakdown.map((g) => g.tax),
          a.vatBreakdown.map((g) => negate(g.tax)),
        );
      }),
      RUNS,
    );
  });
});
