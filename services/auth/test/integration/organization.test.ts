import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subjects, validateEvent, type OrganizationUpdated, type TokenPair } from '@invoice/contracts';
import { bearer, demoteToMember, refreshTokens, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('GET and PATCH /v1/organization', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });

  const get = (tokens: TokenPair) =>
    harness.app.inject({ method: 'GET', url: '/v1/organization', headers: bearer(tokens) });
  const patch = (tokens: TokenPair, payload: unknown) =>
    harness.app.inject({
      method: 'PATCH',
      url: '/v1/organization',
      headers: bearer(tokens),
      payload: payload as object,
    });
  const fields = (response: { json(): { errors?: { field: string }[] } }) =>
    response.json().errors?.map((error) => error.field);

  const profile = {
    legalName: 'Acme Trading GmbH',
    taxId: '0123456789',
    companyNumber: 'HRB 12345',
    address: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
    bankAccount: { iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankName: 'Commerzbank' },
    email: 'billing@acme.example',
    phone: '+49 30 123456',
    defaultCurrency: 'EUR',
  };

  it("returns the caller's organization at version 1 after sign-up", async () => {
    const account = await verifiedAccount(harness);
    const response = await get(account.tokens);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      id: account.created.organizationId,
      name: account.body.organizationName,
      version: 1,
    });
  });

  it('lets an admin change the profile: version 2 and organization.updated with the full snapshot', async () => {
    const account = await verifiedAccount(harness);
    const response = await patch(account.tokens, { name: 'Acme Trading', ...profile });
    assert.equal(response.statusCode, 200, response.body);
    const expected = { id: account.created.organizationId, name: 'Acme Trading', ...profile, version: 2 };
    assert.deepEqual(response.json(), expected);
    assert.deepEqual((await get(account.tokens)).json(), expected);

    const events = await harness.events<OrganizationUpdated>(Subjects.OrganizationUpdated);
    const mine = events.filter((event) => event.subject === account.created.organizationId);
    assert.deepEqual(
      mine.map((event) => event.data.organization.version),
      [1, 2],
    );
    assert.deepEqual(mine[1]!.data.organization, expected);
    assert.deepEqual(validateEvent(Subjects.OrganizationUpdated, mine[1]), []);
  });

  it('merges nested objects, clears fields with null, and keeps the version when nothing changes', async () => {
    const account = await verifiedAccount(harness);
    await patch(account.tokens, profile);
    const merged = await patch(account.tokens, {
      address: { city: 'Hamburg', postalCode: '20095' },
      phone: null,
      bankAccount: null,
    });
    assert.equal(merged.statusCode, 200, merged.body);
    const body = merged.json();
    assert.deepEqual(body.address, {
      line1: 'Hauptstr. 1',
      city: 'Hamburg',
      postalCode: '20095',
      country: 'DE',
    });
    assert.equal(body.phone, undefined);
    assert.equal(body.bankAccount, undefined);
    assert.equal(body.version, 3);
    assert.equal(body.taxId, '0123456789');

    const unchanged = await patch(account.tokens, { address: { city: 'Hamburg' } });
    assert.equal(unchanged.json().version, 3);
    const versions = (await harness.events<OrganizationUpdated>(Subjects.OrganizationUpdated))
      .filter((event) => event.subject === account.created.organizationId)
      .map((event) => event.data.organization.version);
    assert.deepEqual(versions, [1, 2, 3]);
  });

  it('refuses a PATCH from a member without the admin permission with 403 FORBIDDEN', async () => {
    const account = await verifiedAccount(harness);
    await demoteToMember(harness, account);
    const refreshed = await refreshTokens(harness, account.tokens.refreshToken);
    const memberTokens = refreshed.json<TokenPair>();
    const response = await patch(memberTokens, { name: 'Hijacked' });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'FORBIDDEN');
    assert.equal((await get(memberTokens)).json().name, account.body.organizationName);
  });

  it('rejects unknown fields (no mass assignment) and invalid values, naming the field', async () => {
    const account = await verifiedAccount(harness);
    const cases: [unknown, string[]][] = [
      [{ version: 99 }, ['/version']],
      [{ id: account.created.organizationId }, ['/id']],
      [{ address: { country: 'Germany' } }, ['/address/country']],
      [{ address: { street: 'x' } }, ['/address/street']],
      [{ bankAccount: { iban: 'not an iban' } }, ['/bankAccount/iban']],
      [{ defaultCurrency: 'euro' }, ['/defaultCurrency']],
      [{ email: 'nope' }, ['/email']],
      [{ name: null }, ['/name']],
      [{ name: '  ' }, ['/name']],
    ];
    for (const [payload, expected] of cases) {
      const response = await patch(account.tokens, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal(response.json().code, 'VALIDATION_FAILED');
      assert.ok(
        expected.every((field) => fields(response)?.includes(field)),
        `${JSON.stringify(payload)} → ${JSON.stringify(fields(response))}`,
      );
    }
    const empty = await patch(account.tokens, {});
    assert.equal(empty.statusCode, 400);
    assert.equal((await get(account.tokens)).json().version, 1);
  });

  it('refuses well-formed but unassigned codes (currency XYZ, country QQ) with 400 naming the field', async () => {
    const account = await verifiedAccount(harness);
    const cases: [unknown, string][] = [
      [{ defaultCurrency: 'XYZ' }, '/defaultCurrency'],
      [
        { address: { line1: 'Hauptstr. 1', city: 'Berlin', postalCode: '10115', country: 'QQ' } },
        '/address/country',
      ],
    ];
    for (const [payload, field] of cases) {
      const response = await patch(account.tokens, payload);
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      const problem = response.json<{ code: string; errors: { field: string; message: string }[] }>();
      assert.equal(problem.code, 'VALIDATION_FAILED');
      // The nullable union adds "must be null" noise for the same field; the list check is what matters.
      assert.ok(
        problem.errors.some((error) => error.field === field && /allowed values/.test(error.message)),
        JSON.stringify(problem.errors),
      );
    }
    assert.equal((await get(account.tokens)).json().version, 1);
  });

  it("never shows or changes another organization's data", async () => {
    const alice = await verifiedAccount(harness, { organizationName: 'Alice Ltd' });
    const bob = await verifiedAccount(harness, { organizationName: 'Bob Ltd' });
    await patch(alice.tokens, { taxId: 'ALICE-TAX' });
    await patch(bob.tokens, { name: 'Bob Holdings' });

    const aliceView = (await get(alice.tokens)).json();
    assert.equal(aliceView.id, alice.created.organizationId);
    assert.equal(aliceView.name, 'Alice Ltd');
    assert.equal(aliceView.taxId, 'ALICE-TAX');
    const bobView = (await get(bob.tokens)).json();
    assert.equal(bobView.id, bob.created.organizationId);
    assert.equal(bobView.taxId, undefined);

    const me = await harness.app.inject({ method: 'GET', url: '/v1/auth/me', headers: bearer(bob.tokens) });
    assert.equal(me.json().organization.id, bob.created.organizationId);
    assert.equal(me.json().user.id, bob.created.userId);
  });

  it('requires a token', async () => {
    const response = await harness.app.inject({ method: 'GET', url: '/v1/organization' });
    assert.equal(response.statusCode, 401);
    const patched = await harness.app.inject({
      method: 'PATCH',
      url: '/v1/organization',
      payload: { name: 'x' },
    });
    assert.equal(patched.statusCode, 401);
  });
});
