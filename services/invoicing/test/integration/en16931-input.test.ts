import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Invoice, Problem } from '@invoice/contracts';
import { startHarness, type Harness } from '../support/harness.ts';
import { line, seedTenant } from '../support/factories.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

describe('EN 16931 allowance input through the API', () => {
  it('accepts a document allowance given as amount + percent + base and issues it with the stated amount', async () => {
    const { client, auth } = await seedTenant(h);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: {
        clientId: client.id,
        lines: [line({ quantity: '1', unitPrice: '333.33' })],
        allowances: [
          {
            amount: '10.00',
            percent: '3',
            base: '333.33',
            reasonCode: '95',
            vatCategory: 'S',
            vatRate: '19',
          },
        ],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const draft = created.json<Invoice>();
    assert.equal(draft.totals.allowances, '10.00');
    assert.equal(draft.totals.net, '323.33');
    const issued = await h.app.inject({
      method: 'POST',
      url: `/v1/invoices/${draft.id}/issue`,
      headers: auth,
    });
    assert.equal(issued.statusCode, 200, issued.body);
    assert.equal(issued.json<Invoice>().totals.gross, '384.76');
  });

  it('answers 422 ALLOWANCE_AMOUNT_MISMATCH on the amount when the three disagree', async () => {
    const { client, auth } = await seedTenant(h);
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/invoices',
      headers: auth,
      payload: {
        clientId: client.id,
        lines: [line()],
        charges: [
          { amount: '50.00', percent: '3', base: '100', reason: 'Freight', vatCategory: 'S', vatRate: '19' },
        ],
      },
    });
    assert.equal(response.statusCode, 422);
    const problem = response.json<Problem>();
    assert.equal(problem.code, 'ALLOWANCE_AMOUNT_MISMATCH');
    assert.equal(problem.errors?.[0]?.field, '/charges/0/amount');
  });
});
