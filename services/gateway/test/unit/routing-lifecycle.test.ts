import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { upstreamFor } from '../../src/domain/routing.ts';

describe('gateway routing of the invoice lifecycle', () => {
  const id = '0192e0a0-0000-7000-8000-000000000000';

  it('sends the draft preview to the document service and the lifecycle actions to invoicing', () => {
    assert.equal(upstreamFor(`/v1/invoices/${id}/preview.pdf`), 'document');
    assert.equal(upstreamFor(`/v1/invoices/${id}/previewxpdf`), 'invoicing');
    assert.equal(upstreamFor(`/v1/credit-notes/${id}/pdf`), 'document');
    for (const path of [
      `/v1/invoices/${id}/payments`,
      `/v1/invoices/${id}/payments/${id}/refunds`,
      `/v1/invoices/${id}/void`,
      `/v1/invoices/${id}/credit-notes`,
      `/v1/credit-notes/${id}`,
      '/v1/number-series/invoice',
      '/v1/invoice-settings',
      '/v1/recurring-invoices',
      `/v1/recurring-invoices/${id}/occurrences`,
    ]) {
      assert.equal(upstreamFor(path), 'invoicing', path);
    }
  });
});
