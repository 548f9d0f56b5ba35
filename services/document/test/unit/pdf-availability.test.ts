import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pdfAvailability, type DocumentVersion } from '../../src/domain/pdf-availability.ts';

const doc = (version: number, status: DocumentVersion['status']): DocumentVersion => ({
  id: `doc-${version}`,
  version,
  status,
});

describe('which PDF an invoice download answers with', () => {
  it('is nothing when the invoice has no document (a draft, or another organization)', () => {
    assert.deepEqual(pdfAvailability([]), { kind: 'none' });
  });

  it('is the newest ready version', () => {
    const result = pdfAvailability([doc(1, 'ready'), doc(2, 'ready')]);
    assert.equal(result.kind === 'ready' && result.document.version, 2);
  });

  it('keeps serving the ready file while a newer version renders', () => {
    const result = pdfAvailability([doc(1, 'ready'), doc(2, 'pending')]);
    assert.equal(result.kind, 'ready');
  });

  it('says pending while the only version renders, and failed when rendering gave up', () => {
    assert.equal(pdfAvailability([doc(1, 'pending')]).kind, 'pending');
    assert.equal(pdfAvailability([doc(1, 'failed')]).kind, 'failed');
    assert.equal(pdfAvailability([doc(1, 'failed'), doc(2, 'pending')]).kind, 'pending');
  });
});
