import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, type EmailMessage } from '@invoice/contracts';
import { waitFor } from '@invoice/platform-testing';
import { startHarness, type Harness } from '../support/harness.ts';
import { sendRequest, verificationRequest } from '../support/fixtures.ts';

interface Page {
  items: EmailMessage[];
  nextCursor: string | null;
}

describe('GET /v1/emails', () => {
  let h: Harness;
  const orgId = newId();
  const otherOrgId = newId();
  const request = sendRequest();
  const verification = verificationRequest();
  let token: string;
  let otherToken: string;

  before(async () => {
    h = await startHarness();
    token = await h.issuer.sign({ orgId });
    otherToken = await h.issuer.sign({ orgId: otherOrgId });
    await h.publishSendRequest(orgId, request);
    await h.publishVerification(orgId, verification);
    await waitFor(async () => (await list(token)).items.length === 2 || undefined);
  });

  after(async () => {
    await h?.close();
  });

  async function get(url: string, bearer?: string) {
    return h.app.inject({ method: 'GET', url, headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  }

  async function list(bearer: string, query = ''): Promise<Page> {
    const response = await get(`/v1/emails${query}`, bearer);
    assert.equal(response.statusCode, 200, response.body);
    return response.json<Page>();
  }

  it('lists the emails of an invoice', async () => {
    const page = await list(token, `?invoiceId=${request.invoiceId}`);
    assert.equal(page.items.length, 1);
    const [email] = page.items;
    assert.equal(email?.template, 'invoice');
    assert.equal(email?.invoiceId, request.invoiceId);
    assert.deepEqual(email?.to, request.to);
    assert.equal(email?.status, 'waiting_for_document');
    assert.equal(email?.subject, `Invoice ${request.number} from Acme GmbH`);
    assert.equal(email?.sentAt, null);
  });

  it('includes the verification emails of the organization and filters by status', async () => {
    await waitFor(async () => (await list(token, '?status=sent')).items.length === 1 || undefined);
    const sent = await list(token, '?status=sent');
    assert.equal(sent.items[0]?.template, 'verify-email');
    assert.deepEqual(sent.items[0]?.to, [verification.email]);
    assert.ok(sent.items[0]?.sentAt);
  });

  it('pages newest first with a cursor', async () => {
    const first = await list(token, '?limit=1');
    assert.equal(first.items.length, 1);
    assert.ok(first.nextCursor);
    const second = await list(token, `?limit=1&cursor=${first.nextCursor}`);
    assert.equal(second.items.length, 1);
    assert.equal(second.nextCursor, null);
    assert.ok(first.items[0]!.id > second.items[0]!.id);
  });

  it('shows another organization nothing, and 404 for one of these emails', async () => {
    assert.deepEqual((await list(otherToken)).items, []);
    assert.deepEqual((await list(otherToken, `?invoiceId=${request.invoiceId}`)).items, []);
    const [email] = (await list(token, `?invoiceId=${request.invoiceId}`)).items;
    const foreign = await get(`/v1/emails/${email?.id}`, otherToken);
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json<{ code: string }>().code, 'NOT_FOUND');
    const own = await get(`/v1/emails/${email?.id}`, token);
    assert.equal(own.json<EmailMessage>().id, email?.id);
  });

  it('shows a member without all_invoices_access only the emails of invoices they created', async () => {
    const creator = newId();
    const theirs = sendRequest({ createdBy: creator });
    await h.publishSendRequest(orgId, theirs);
    await waitFor(
      async () => (await list(token, `?invoiceId=${theirs.invoiceId}`)).items.length === 1 || undefined,
    );
    const [email] = (await list(token, `?invoiceId=${theirs.invoiceId}`)).items;

    const own = await h.issuer.sign({ orgId, role: 'member', userId: creator });
    assert.deepEqual(
      (await list(own)).items.map((item) => item.id),
      [email?.id],
      'the creator sees their invoice email only (not the account emails nor others)',
    );
    assert.equal((await get(`/v1/emails/${email?.id}`, own)).statusCode, 200);

    const colleague = await h.issuer.sign({ orgId, role: 'member', userId: newId() });
    assert.deepEqual((await list(colleague)).items, []);
    const hidden = await get(`/v1/emails/${email?.id}`, colleague);
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.json().code, 'NOT_FOUND');

    const allInvoices = await h.issuer.sign({
      orgId,
      role: 'member',
      userId: newId(),
      permissions: ['all_invoices_access'],
    });
    assert.ok((await list(allInvoices)).items.some((item) => item.id === email?.id));
  });

  it('requires a token', async () => {
    const response = await get('/v1/emails');
    assert.equal(response.statusCode, 401);
    assert.equal(response.json<{ code: string }>().code, 'UNAUTHENTICATED');
  });

  it('rejects bad filters and cursors with the failing field', async () => {
    const badStatus = await get('/v1/emails?status=lost', token);
    assert.equal(badStatus.statusCode, 400);
    assert.equal(badStatus.json<{ code: string }>().code, 'VALIDATION_FAILED');
    const badCursor = await get('/v1/emails?cursor=bm9wZQ', token);
    assert.equal(badCursor.statusCode, 400);
    assert.deepEqual(
      badCursor.json<{ errors: { field: string }[] }>().errors.map((e) => e.field),
      ['/cursor'],
    );
    const bareId = Buffer.from(newId(), 'utf8').toString('base64url');
    const unprefixed = await get(`/v1/emails?cursor=${bareId}`, token);
    assert.equal(unprefixed.statusCode, 400, 'a cursor is id:-prefixed, not a bare id');
  });

  it('documents the routes in OpenAPI with their security', async () => {
    const spec = (await get('/openapi.json')).json<{
      paths: Record<string, { get: { security?: unknown[] } }>;
    }>();
    assert.ok(spec.paths['/v1/emails']?.get.security?.length);
    assert.ok(spec.paths['/v1/emails/{id}']);
  });
});
