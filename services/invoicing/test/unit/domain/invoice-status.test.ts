import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError, InvoiceStatus } from '@invoice/contracts';
import {
  assertEditable,
  assertPayable,
  assertSendable,
  canTransition,
  issue,
  voidInvoice,
} from '../../../src/domain/invoice-status.ts';

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

  it('never leaves void, never returns to draft, and reopens a paid invoice only to a payable status', () => {
    assert.equal(canTransition('void', 'paid'), false);
    assert.equal(canTransition('void', 'issued'), false);
    assert.equal(canTransition('issued', 'draft'), false);
    assert.equal(canTransition('issued', 'void'), true);
    assert.equal(canTransition('paid', 'void'), false);
    assert.equal(canTransition('paid', 'partially_paid'), true);
    assert.equal(canTransition('overdue', 'partially_paid'), false);
  });

  it('takes payments only on open invoices, each refusal with its own code', () => {
    for (const status of ['issued', 'partially_paid', 'overdue'] as InvoiceStatus[]) {
      assert.equal(
        codeOf(() => assertPayable(status)),
        undefined,
        status,
      );
    }
    assert.equal(
      codeOf(() => assertPayable('draft')),
      'INVOICE_NOT_ISSUED',
    );
    assert.equal(
      codeOf(() => assertPayable('paid')),
      'INVOICE_ALREADY_PAID',
    );
    assert.equal(
      codeOf(() => assertPayable('void')),
      'INVOICE_VOIDED',
    );
  });

  it('voids only an issued invoice without payments or credit notes', () => {
    const none = { activePayments: 0, creditNotes: 0 };
    assert.equal(voidInvoice('issued', none), 'void');
    assert.equal(voidInvoice('overdue', none), 'void');
    assert.equal(
      codeOf(() => voidInvoice('draft', none)),
      'INVOICE_NOT_ISSUED',
    );
    assert.equal(
      codeOf(() => voidInvoice('void', none)),
      'INVOICE_VOIDED',
    );
    assert.equal(
      codeOf(() => voidInvoice('partially_paid', { activePayments: 1, creditNotes: 0 })),
      'INVOICE_HAS_PAYMENTS',
    );
    assert.equal(
      codeOf(() => voidInvoice('paid', none)),
      'INVOICE_HAS_PAYMENTS',
    );
    assert.equal(
      codeOf(() => voidInvoice('partially_paid', { activePayments: 0, creditNotes: 1 })),
      'INVOICE_HAS_CREDIT_NOTES',
    );
  });
});
