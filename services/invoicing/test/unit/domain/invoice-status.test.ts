import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError, InvoiceStatus } from '@invoice/contracts';
import { assertEditable, assertSendable, canTransition, issue } from '../../../src/domain/invoice-status.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as AppError).code;
  }
  return undefined;
};

describe('invoice status transitions', () => {
  it('issues a draft', () => {
    assert.equal(issue('draft'), 'issued');
  });

  it('refuses to issue anything but a draft with INVOICE_NOT_DRAFT', () => {
    for (const status of ['issued', 'paid', 'void', 'overdue', 'partially_paid'] as InvoiceStatus[]) {
      assert.equal(
        codeOf(() => issue(status)),
        'INVOICE_NOT_DRAFT',
        status,
      );
    }
  });

  it('lets only drafts be edited', () => {
    assert.equal(
      codeOf(() => assertEditable('draft')),
      undefined,
    );
    assert.equal(
      codeOf(() => assertEditable('issued')),
      'INVOICE_NOT_DRAFT',
    );
  });

  it('lets only issued, unvoided invoices be sent', () => {
    assert.equal(
      codeOf(() => assertSendable('issued')),
      undefined,
    );
    assert.equal(
      codeOf(() => assertSendable('overdue')),
      undefined,
    );
    assert.equal(
      codeOf(() => assertSendable('draft')),
      'INVOICE_NOT_ISSUED',
    );
    assert.equal(
      codeOf(() => assertSendable('void')),
      'INVOICE_NOT_ISSUED',
    );
  });

  it('never leaves paid or void, and never returns to draft', () => {
    assert.equal(canTransition('paid', 'issued'), false);
    assert.equal(canTransition('void', 'paid'), false);
    assert.equal(canTransition('issued', 'draft'), false);
    assert.equal(canTransition('issued', 'void'), true);
  });
});
