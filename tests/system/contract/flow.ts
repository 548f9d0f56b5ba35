/**
 * The whole life of an invoice driven through a client generated from the served OpenAPI document
 * (openapi-typescript types + openapi-fetch): sign-up → verify → log in → organization → client →
 * product → draft → issue → PDF → send → payment, with the errors an integrator meets on the way.
 * The test type-checks this file against types generated from the served document before it runs
 * it, so a request the document does not describe fails to compile.
 */
import createClient from 'openapi-fetch';
import type { paths } from './generated/public-api.ts';

import type { FlowHooks, FlowResult } from './flow-types.ts';

export type { FlowHooks, FlowResult };

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what}: no body`);
  return value;
}

/** Runs the flow against the gateway at `baseUrl`. */
export async function runContractFlow(
  baseUrl: string,
  namespace: string,
  hooks: FlowHooks,
): Promise<FlowResult> {
  const client = createClient<paths>({ baseUrl });
  const steps: string[] = [];
  client.use({
    async onResponse({ request, response }) {
      const body = response.status === 304 ? '' : await response.clone().text();
      const url = new URL(request.url);
      hooks.observe({
        method: request.method,
        url: `${url.pathname}${url.search}`,
        status: response.status,
        contentType: response.headers.get('content-type'),
        body,
      });
      steps.push(`${request.method} ${url.pathname} → ${response.status}`);
      return undefined;
    },
  });

  const email = `contract-${namespace}@example.test`;
  const password = 'correct horse battery staple';
  const signup = await client.POST('/v1/auth/signup', {
    body: { organizationName: 'Contract GmbH', name: 'Ada Lovelace', email, password },
  });
  if (signup.response.status !== 201) throw new Error(`signup: ${signup.response.status}`);

  const early = await client.POST('/v1/auth/login', { body: { email, password } });
  if (early.response.status !== 403) throw new Error(`login before verification: ${early.response.status}`);

  const token = await hooks.verificationToken(email);
  await client.POST('/v1/auth/verify-email', { body: { token } });
  const login = await client.POST('/v1/auth/login', { body: { email, password } });
  const accessToken = required(login.data, 'login').accessToken;
  const auth = { authorization: `Bearer ${accessToken}` };

  const anonymous = await client.GET('/v1/auth/me', {});
  if (anonymous.response.status !== 401) throw new Error(`anonymous me: ${anonymous.response.status}`);

  const badIban = await client.PATCH('/v1/organization', {
    headers: auth,
    body: { bankAccount: { iban: 'DE89370400440532013001', bic: 'COBADEFFXXX' } },
  });
  if (badIban.response.status !== 400)
    throw new Error(`IBAN with a wrong checksum: ${badIban.response.status}`);

  await client.PATCH('/v1/organization', {
    headers: { ...auth, 'content-type': 'application/merge-patch+json' },
    body: {
      legalName: 'Contract GmbH',
      taxId: 'DE123456789',
      address: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
      bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX' },
    },
  });

  const invalidClient = await client.POST('/v1/clients', { headers: auth, body: { name: '' } });
  if (invalidClient.response.status !== 400)
    throw new Error(`empty client name: ${invalidClient.response.status}`);

  const created = await client.POST('/v1/clients', {
    headers: auth,
    body: {
      name: 'Globex Corporation',
      email: `billing-${namespace}@globex.test`,
      address: { line1: '1 Globex Way', city: 'Cypress Creek', postalCode: '12345', country: 'US' },
    },
  });
  const buyer = required(created.data, 'client');
  const etag = created.response.headers.get('etag');
  if (etag) {
    const unchanged = await client.GET('/v1/clients/{id}', {
      headers: { ...auth, 'if-none-match': etag },
      params: { path: { id: buyer.id } },
    });
    if (unchanged.response.status !== 304) throw new Error(`If-None-Match: ${unchanged.response.status}`);
  }

  const product = required(
    (
      await client.POST('/v1/products', {
        headers: auth,
        body: {
          name: 'Consulting hour',
          unitPrice: '100.00',
          currency: 'EUR',
          unitCode: 'HUR',
          vatRate: '19',
        },
      })
    ).data,
    'product',
  );

  const unitless = await client.POST('/v1/invoices', {
    headers: auth,
    body: { clientId: buyer.id, lines: [{ quantity: '1', description: 'No unit', unitPrice: '1.00' }] },
  });
  if (unitless.response.status !== 400) throw new Error(`line without unit: ${unitless.response.status}`);

  const draft = required(
    (
      await client.POST('/v1/invoices', {
        headers: { ...auth, 'idempotency-key': `draft-${namespace}` },
        body: {
          clientId: buyer.id,
          currency: 'EUR',
          lines: [
            { productId: product.id, quantity: '3' },
            {
              description: 'Travel flat fee',
              quantity: '1',
              unitCode: 'C62',
              unitPrice: '49.99',
              vatRate: '19',
            },
          ],
        },
      })
    ).data,
    'draft',
  );

  const missing = await client.GET('/v1/invoices/{id}', {
    headers: auth,
    params: { path: { id: '0190a0e0-0000-7000-8000-000000000000' } },
  });
  if (missing.response.status !== 404) throw new Error(`unknown invoice: ${missing.response.status}`);

  const path = { id: draft.id };
  await client.POST('/v1/invoices/{id}/issue', { headers: auth, params: { path } });

  await hooks.waitFor(async () => {
    const pdf = await client.GET('/v1/invoices/{id}/pdf', {
      headers: auth,
      params: { path },
      redirect: 'manual',
    });
    return pdf.response.status === 302 ? pdf : undefined;
  }, 'the rendered PDF');

  await client.POST('/v1/invoices/{id}/send', { headers: auth, params: { path }, body: {} });

  const gross = required(
    (await client.GET('/v1/invoices/{id}', { headers: auth, params: { path } })).data,
    'invoice',
  ).totals.gross;
  const today = new Date().toISOString().slice(0, 10);
  await client.POST('/v1/invoices/{id}/payments', {
    headers: auth,
    params: { path },
    body: { amount: gross, date: today, method: 'bank_transfer', reference: 'contract test' },
  });
  const paid = required(
    (await client.GET('/v1/invoices/{id}', { headers: auth, params: { path } })).data,
    'invoice',
  );
  return { steps, invoiceStatus: paid.status };
}
