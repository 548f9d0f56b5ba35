import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPublicPath, isSensitivePath, upstreamFor } from '../../src/domain/routing.ts';

describe('gateway routing table', () => {
  it('sends an invoice PDF to the document service and the rest of invoices to invoicing', () => {
    assert.equal(upstreamFor('/v1/invoices/0192e0a0-0000-7000-8000-000000000000/pdf'), 'document');
    assert.equal(upstreamFor('/v1/invoices/0192e0a0-0000-7000-8000-000000000000/issue'), 'invoicing');
    assert.equal(upstreamFor('/v1/invoices?limit=10'), 'invoicing');
  });

  it('routes each public area to its owning service', () => {
    assert.equal(upstreamFor('/v1/auth/login'), 'auth');
    assert.equal(upstreamFor('/v1/organization'), 'auth');
    assert.equal(upstreamFor('/.well-known/jwks.json'), 'auth');
    assert.equal(upstreamFor('/v1/clients/abc'), 'catalog');
    assert.equal(upstreamFor('/v1/products'), 'catalog');
    assert.equal(upstreamFor('/v1/emails?status=sent'), 'notification');
  });

  it('knows no service for unknown or look-alike paths', () => {
    assert.equal(upstreamFor('/v1/clientsx'), undefined);
    assert.equal(upstreamFor('/v2/clients'), undefined);
    assert.equal(upstreamFor('/admin'), undefined);
  });

  it('lets only sign-up, login, verification and keys through without a token', () => {
    assert.ok(isPublicPath('/v1/auth/login'));
    assert.ok(isPublicPath('/v1/auth/signup'));
    assert.ok(isPublicPath('/.well-known/jwks.json'));
    assert.ok(!isPublicPath('/v1/auth/me'));
    assert.ok(!isPublicPath('/v1/clients'));
    assert.ok(!isPublicPath('/v1/auth/login/../../clients'));
  });

  it('rate limits credential endpoints strictly', () => {
    assert.ok(isSensitivePath('/v1/auth/login'));
    assert.ok(isSensitivePath('/v1/auth/password-reset'));
    assert.ok(isSensitivePath('/v1/auth/refresh'));
    assert.ok(!isSensitivePath('/v1/invoices'));
  });
});
