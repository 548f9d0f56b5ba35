import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { DocumentPricingInputSchema, DocumentPricingResultSchema } from '@invoice/contracts';
import { computeTotals } from '../../../src/domain/money/index.ts';
import { docArb } from './arbitraries.ts';
import { doc, line } from './factories.ts';

describe('public schemas of the money engine', () => {
  it('accepts every generated document as a request body and every result as a response body', () => {
    fc.assert(
      fc.property(docArb(), (input) => {
        assert.ok(
          Value.Check(DocumentPricingInputSchema, input),
          JSON.stringify([...Value.Errors(DocumentPricingInputSchema, input)]),
        );
        const result = computeTotals(input);
        assert.ok(
          Value.Check(DocumentPricingResultSchema, result),
          JSON.stringify([...Value.Errors(DocumentPricingResultSchema, result)]),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('refuses unknown fields and number-typed amounts in a request body', () => {
    assert.equal(Value.Check(DocumentPricingInputSchema, { ...doc([line()]), discount: '5' }), false);
    assert.equal(
      Value.Check(DocumentPricingInputSchema, doc([{ ...line(), unitPrice: 10 as unknown as string }])),
      false,
    );
    assert.equal(Value.Check(DocumentPricingInputSchema, doc([line({ vatRate: '101' })])), false);
  });
});
