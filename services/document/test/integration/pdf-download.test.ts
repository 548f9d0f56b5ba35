import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newId } from '@invoice/contracts';
import { ObjectStorage } from '@invoice/platform-storage';
import { waitFor } from '@invoice/platform-testing';
import { buildApp } from '../../src/app.ts';
import { documentReconciler } from '../../src/workers/index.ts';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentWithStatus } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';
import { insertPending } from '../support/pending-document.ts';

describe('GET /v1/invoices/{id}/pdf and /v1/documents/{id}', () => {
  let kit: DocumentKit;
  const orgId = newId();
  // The member who created the invoices (a member without `all_invoices_access` sees only theirs).
  const creator = newId();
  const invoice = invoiceSnapshot({ lineCount: 20, createdBy: creator });
  let token: string;
  let otherOrgToken: string;

  before(async () => {
    kit = await startDocumentKit();
    await kit.startWorkers();
    token = await kit.issuer.sign({ orgId, role: 'member', userId: creator });
    otherOrgToken = await kit.issuer.sign({ orgId: newId(), role: 'owner' });
    await kit.publishIssued(orgId, invoice);
    await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), { what: 'the rendered PDF' });
  });
  after(() => kit.close());

  const documentIdOf = async (invoiceId: string) =>
    (await documentWithStatus(kit.deps, invoiceId, 'ready'))?.id as string;

  const get = (url: string, bearer?: string) =>
    kit.app.inject({ method: 'GET', url, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  it('redirects to a short-lived presigned URL that downloads the stored bytes', async () => {
    const response = await get(`/v1/invoices/${invoice.id}/pdf`, token);
    assert.equal(response.statusCode, 302);
    const location = response.headers.location as string;
    assert.ok(location.startsWith(`${kit.s3.options.endpoint}/`), location);
    assert.match(location, /X-Amz-Expires=300/);
    assert.equal(response.headers['cache-control'], 'private, no-store');

    const download = await fetch(location);
    assert.equal(download.status, 200);
    const bytes = Buffer.from(await download.arrayBuffer());
    const ready = await documentWithStatus(kit.deps, invoice.id, 'ready');
    assert.equal(createHash('sha256').update(bytes).digest('hex'), ready?.sha256);
    assert.ok(bytes.equals(await kit.deps.storage.get(ready!.s3Key)));
  });

  it('presigns with S3_PUBLIC_ENDPOINT when one is set', async () => {
    const publicStorage = new ObjectStorage({
      ...kit.s3.options,
      publicEndpoint: 'https://files.example.test',
    });
    const app = await buildApp({ ...kit.deps, storage: publicStorage });
    try {
      const response = await app.inject({
        method: 'GET',
        url: `/v1/invoices/${invoice.id}/pdf`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(response.statusCode, 302);
      assert.match(response.headers.location as string, /^https:\/\/files\.example\.test\//);
    } finally {
      await app.close();
      publicStorage.close();
    }
  });

  it('answers 202 with Retry-After while the PDF is being rendered', async () => {
    const pending = invoiceSnapshot({ lineCount: 1, createdBy: creator });
    const documentId = await insertPending(kit.deps, orgId, pending);
    const response = await get(`/v1/invoices/${pending.id}/pdf`, token);
    assert.equal(response.statusCode, 202);
    assert.equal(response.headers['retry-after'], '1');
    assert.deepEqual(response.json(), { status: 'pending', documentId });

    await documentReconciler(kit.deps).runOnce();
    await waitFor(async () => (await get(`/v1/invoices/${pending.id}/pdf`, token)).statusCode === 302, {
      what: 'the redirect once rendered',
    });
  });

  it('is 404 for an invoice with no document and for another organization', async () => {
    for (const [id, bearer] of [
      [newId(), token],
      [invoice.id, otherOrgToken],
    ] as const) {
      const response = await get(`/v1/invoices/${id}/pdf`, bearer);
      assert.equal(response.statusCode, 404);
      assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(response.json().code, 'NOT_FOUND');
    }
  });

  it("is 404 for another member's invoice without all_invoices_access, found with it", async () => {
    const colleague = await kit.issuer.sign({ orgId, role: 'member', userId: newId() });
    for (const url of [`/v1/invoices/${invoice.id}/pdf`, `/v1/documents/${await documentIdOf(invoice.id)}`]) {
      const hidden = await get(url, colleague);
      assert.equal(hidden.statusCode, 404, `${url}: ${hidden.body}`);
      assert.equal(hidden.json().code, 'NOT_FOUND');
    }
    const allInvoices = await kit.issuer.sign({
      orgId,
      role: 'member',
      userId: newId(),
      permissions: ['all_invoices_access'],
    });
    assert.equal((await get(`/v1/invoices/${invoice.id}/pdf`, allInvoices)).statusCode, 302);
    const owner = await kit.issuer.sign({ orgId, role: 'owner', userId: newId() });
    assert.equal((await get(`/v1/invoices/${invoice.id}/pdf`, owner)).statusCode, 302);
  });

  it('is 409 DOCUMENT_RENDER_FAILED when rendering failed for good', async () => {
    const broken = invoiceSnapshot({ lineCount: 1, createdBy: creator });
    const documentId = await insertPending(kit.deps, orgId, broken, { ...broken, totals: { gross: 'x' } });
    await documentReconciler(kit.deps).runOnce();
    await waitFor(() => documentWithStatus(kit.deps, broken.id, 'failed'), { what: 'the failed render' });
    const response = await get(`/v1/invoices/${broken.id}/pdf`, token);
    assert.equal(response.statusCode, 409);
    assert.equal(response.json().code, 'DOCUMENT_RENDER_FAILED');
    const metadata = (await get(`/v1/documents/${documentId}`, token)).json();
    assert.equal(metadata.status, 'failed');
    assert.match(metadata.error, /totals/);
  });

  it('requires a token, and a UUID as id', async () => {
    const anonymous = await get(`/v1/invoices/${invoice.id}/pdf`);
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json().code, 'UNAUTHENTICATED');
    const notAnId = await get('/v1/invoices/not-an-id/pdf', token);
    assert.equal(notAnId.statusCode, 400);
    assert.equal(notAnId.json().code, 'VALIDATION_FAILED');
  });

  it('gives the metadata of a document to its organization only', async () => {
    const ready = await documentWithStatus(kit.deps, invoice.id, 'ready');
    assert.ok(ready);
    const response = await get(`/v1/documents/${ready.id}`, token);
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(
      { ...body, createdAt: undefined, renderedAt: undefined },
      {
        id: ready.id,
        sourceType: 'invoice',
        sourceId: invoice.id,
        number: 'INV-2026-0042',
        version: 1,
        status: 'ready',
        contentType: 'application/pdf',
        sha256: ready.sha256,
        size: ready.size,
        attempts: 1,
        error: null,
        createdAt: undefined,
        renderedAt: undefined,
      },
    );
    assert.ok(!Number.isNaN(Date.parse(body.renderedAt)));
    assert.equal((await get(`/v1/documents/${ready.id}`, otherOrgToken)).statusCode, 404);
  });

  it('documents both routes in OpenAPI', async () => {
    const spec = (await kit.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const pdf = spec.paths['/v1/invoices/{id}/pdf'].get;
    assert.deepEqual(Object.keys(pdf.responses).sort(), ['202', '302', '401', '404', '409']);
    assert.deepEqual(pdf.security, [{ bearerAuth: [] }]);
    assert.ok(spec.paths['/v1/documents/{id}'].get.responses['200']);
  });
});
