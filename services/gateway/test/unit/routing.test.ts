import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientIp } from '../../src/domain/client-ip.ts';
import { isPublicPath, isSensitivePath, normalizePath, upstreamFor } from '../../src/domain/routing.ts';

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

  it('classifies every spelling of a credential path as sensitive', () => {
    for (const spelling of [
      '/v1/auth/login/',
      '/v1/auth/login//',
      '//v1//auth//login',
      '/v1/auth/%6Cogin',
      '/v1/auth/%256Cogin',
      '/v1/%61uth/login?x=1',
      '/V1/AUTH/LOGIN',
      '/v1/auth/./login',
      '/v1/catalog/../auth/login',
      '/v1\\auth\\login',
      '/v1/auth/password-reset/confirm/',
    ]) {
      assert.ok(isSensitivePath(spelling), spelling);
    }
    assert.equal(normalizePath('/v1/auth/login/?a=b'), '/v1/auth/login');
    assert.ok(!isSensitivePath('/v1/auth/loginx'));
    assert.ok(!isSensitivePath('/v1/auth/me'));
  });

  it('believes X-Forwarded-For for the configured number of hops only', () => {
    assert.equal(clientIp('10.0.0.5', '1.2.3.4', 0), '10.0.0.5');
    assert.equal(clientIp('10.0.0.5', 'spoofed, 1.2.3.4', 1), '1.2.3.4');
    assert.equal(clientIp('10.0.0.5', 'spoofed, 1.2.3.4, 10.0.0.9', 2), '1.2.3.4');
    assert.equal(clientIp('10.0.0.5', undefined, 1), '10.0.0.5');
    assert.equal(clientIp('10.0.0.5', ['spoofed', '1.2.3.4'], 1), '1.2.3.4');
  });
});
