import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { upstreamFor } from '../../src/domain/routing.ts';

describe('gateway routing of quotes', () => {
  const id = '0192e0a0-0000-7000-8000-000000000000';

  it('sends the quote PDF to the document service and everything else of quotes to invoicing', () => {
    assert.equal(upstreamFor(`/v1/quotes/${id}/pdf`), 'document');
    for (const path of [
      '/v1/quotes',
      `/v1/quotes/${id}`,
      `/v1/quotes/${id}/send`,
      `/v1/quotes/${id}/accept`,
      `/v1/quotes/${id}/decline`,
      `/v1/quotes/${id}/convert`,
      `/v1/quotes/${id}/pdfx`,
    ]) {
      assert.equal(upstreamFor(path), 'invoicing', path);
    }
  });
});
