import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentKey, pdfFilename } from '../../src/domain/document-key.ts';

const orgId = '0192a3b4-c5d6-7e8f-9a0b-1c2d3e4f5a6b';
const sourceId = '0192a3b4-c5d6-7e8f-9a0b-aaaaaaaaaaaa';

describe('document keys', () => {
  it('are tenant-prefixed and versioned: orgs/{org}/invoices/{invoice}/{version}.pdf', () => {
    assert.equal(
      documentKey({ orgId, sourceType: 'invoice', sourceId, version: 3 }),
      `orgs/${orgId}/invoices/${sourceId}/3.pdf`,
    );
  });

  it('put credit notes and quotes in their own folders', () => {
    assert.match(documentKey({ orgId, sourceType: 'credit_note', sourceId, version: 1 }), /\/credit-notes\//);
    assert.match(documentKey({ orgId, sourceType: 'quote', sourceId, version: 1 }), /\/quotes\//);
  });

  it('refuse anything but ids and a positive integer version (no path injection)', () => {
    assert.throws(() => documentKey({ orgId: '../other', sourceType: 'invoice', sourceId, version: 1 }));
    assert.throws(() => documentKey({ orgId, sourceType: 'invoice', sourceId: `${sourceId}/x`, version: 1 }));
    assert.throws(() => documentKey({ orgId, sourceType: 'invoice', sourceId, version: 0 }));
    assert.throws(() => documentKey({ orgId, sourceType: 'invoice', sourceId, version: 1.5 }));
  });

  it('make download names from the number with anything unusual replaced', () => {
    assert.equal(pdfFilename('INV-2026-0042'), 'INV-2026-0042.pdf');
    assert.equal(pdfFilename('2026/11 "A"'), '2026_11_A_.pdf');
    assert.equal(pdfFilename('../..'), 'document.pdf');
  });
});
