import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError, QuoteStatus } from '@invoice/contracts';
import {
  assertQuoteEditable,
  canTransitionQuote,
  convertQuote,
  decideQuote,
  isExpiredOn,
  sendQuote,
} from '../../../src/domain/quote-status.ts';
import { quoteDates } from '../../../src/domain/quote-validity.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
};

const ALL: QuoteStatus[] = ['draft', 'sent', 'accepted', 'declined', 'expired', 'converted'];
const TODAY = '2026-06-15';

describe('quote lifecycle', () => {
  it('allows exactly draft → sent → accepted | declined | expired, accepted → converted', () => {
    const allowed = ALL.flatMap((from) =>
      ALL.filter((to) => canTransitionQuote(from, to)).map((to) => `${from}→${to}`),
    );
    assert.deepEqual(allowed.sort(), [
      'accepted→converted',
      'draft→sent',
      'sent→accepted',
      'sent→declined',
      'sent→expired',
      'sent→sent',
    ]);
  });

  it('edits only drafts', () => {
    assert.equal(
      codeOf(() => assertQuoteEditable('draft')),
      undefined,
    );
    for (const status of ALL.filter((s) => s !== 'draft')) {
      assert.equal(
        codeOf(() => assertQuoteEditable(status)),
        'QUOTE_NOT_DRAFT',
        status,
      );
    }
  });

  it('sends a draft or a sent quote while valid, nothing else', () => {
    assert.equal(sendQuote('draft', TODAY, TODAY), 'sent');
    assert.equal(sendQuote('sent', TODAY, TODAY), 'sent');
    assert.equal(
      codeOf(() => sendQuote('sent', '2026-06-14', TODAY)),
      'QUOTE_EXPIRED',
    );
    assert.equal(
      codeOf(() => sendQuote('draft', '2026-06-14', TODAY)),
      'QUOTE_EXPIRED',
    );
    assert.equal(
      codeOf(() => sendQuote('expired', TODAY, TODAY)),
      'QUOTE_EXPIRED',
    );
    for (const status of ['accepted', 'declined', 'converted'] as const) {
      assert.equal(
        codeOf(() => sendQuote(status, TODAY, TODAY)),
        'QUOTE_NOT_DRAFT',
        status,
      );
    }
  });

  it('accepts or declines a sent quote through its last valid day, never after', () => {
    assert.equal(decideQuote('sent', 'accepted', TODAY, TODAY), 'accepted');
    assert.equal(decideQuote('sent', 'declined', TODAY, TODAY), 'declined');
    assert.equal(
      codeOf(() => decideQuote('sent', 'accepted', '2026-06-14', TODAY)),
      'QUOTE_EXPIRED',
    );
    assert.equal(
      codeOf(() => decideQuote('expired', 'accepted', TODAY, TODAY)),
      'QUOTE_EXPIRED',
    );
    assert.equal(
      codeOf(() => decideQuote('draft', 'accepted', TODAY, TODAY)),
      'QUOTE_NOT_SENT',
    );
    assert.equal(
      codeOf(() => decideQuote('accepted', 'declined', TODAY, TODAY)),
      'QUOTE_NOT_SENT',
    );
    assert.equal(
      codeOf(() => decideQuote('declined', 'accepted', TODAY, TODAY)),
      'QUOTE_NOT_SENT',
    );
    assert.equal(
      codeOf(() => decideQuote('converted', 'accepted', TODAY, TODAY)),
      'QUOTE_ALREADY_CONVERTED',
    );
  });

  it('converts only an accepted quote, once', () => {
    assert.equal(convertQuote('accepted'), 'converted');
    assert.equal(
      codeOf(() => convertQuote('converted')),
      'QUOTE_ALREADY_CONVERTED',
    );
    for (const status of ['draft', 'sent', 'declined', 'expired'] as const) {
      assert.equal(
        codeOf(() => convertQuote(status)),
        'QUOTE_NOT_ACCEPTED',
        status,
      );
    }
  });

  it('expires only sent quotes whose validity ended before today', () => {
    assert.equal(isExpiredOn('sent', '2026-06-14', TODAY), true);
    assert.equal(isExpiredOn('sent', TODAY, TODAY), false);
    assert.equal(isExpiredOn('accepted', '2026-06-14', TODAY), false);
    assert.equal(isExpiredOn('draft', '2026-06-14', TODAY), false);
  });
});

describe('quote dates', () => {
  it('defaults the validity to the quote date plus the configured days and keeps given dates', () => {
    assert.deepEqual(quoteDates({}, { issueDate: '2026-01-31' }, 30), {
      issueDate: '2026-01-31',
      validUntil: '2026-03-02',
    });
    assert.deepEqual(quoteDates({ validUntil: '2026-02-10' }, { issueDate: '2026-01-31' }, 30), {
      issueDate: '2026-01-31',
      validUntil: '2026-02-10',
    });
    assert.deepEqual(
      quoteDates({ issueDate: '2026-02-01' }, { issueDate: '2026-01-31', validUntil: '2026-02-10' }, 30),
      { issueDate: '2026-02-01', validUntil: '2026-02-10' },
    );
  });

  it('refuses a validity before the quote date, naming /validUntil', () => {
    assert.equal(
      codeOf(() => quoteDates({ validUntil: '2026-01-30' }, { issueDate: '2026-01-31' }, 30)),
      'VALIDATION_FAILED',
    );
  });
});
