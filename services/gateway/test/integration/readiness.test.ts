import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UPSTREAMS, type Upstream } from '../../src/domain/routing.ts';
import { startGateway, type TestGateway } from '../support/gateway.ts';
import { CLOSED_PORT_URL, startUpstream, type TestUpstream } from '../support/upstreams.ts';

const ALL_READY = {
  redis: true,
  auth: true,
  catalog: true,
  invoicing: true,
  document: true,
  notification: true,
};

function upstreamEnv(urls: Record<Upstream, string>): Record<string, string> {
  return {
    AUTH_URL: urls.auth,
    CATALOG_URL: urls.catalog,
    INVOICING_URL: urls.invoicing,
    DOCUMENT_URL: urls.document,
    NOTIFICATION_URL: urls.notification,
  };
}

describe('gateway readiness', () => {
  const upstreams = {} as Record<Upstream, TestUpstream>;
  const urls = {} as Record<Upstream, string>;
  let gateway: TestGateway;

  before(async () => {
    for (const name of UPSTREAMS) {
      upstreams[name] = await startUpstream(name);
      urls[name] = upstreams[name].url;
    }
    gateway = await startGateway({ ...upstreamEnv(urls), UPSTREAM_READY_TIMEOUT_MS: '300' });
  });

  after(async () => {
    await gateway.close();
    for (const upstream of Object.values(upstreams)) await upstream.stop();
  });

  const readyz = () => gateway.app.inject({ method: 'GET', url: '/readyz' });

  it('is ready when Redis and every upstream are', async () => {
    const response = await readyz();
    assert.equal(response.statusCode, 200, response.body);
    assert.deepEqual(response.json(), { status: 'ready', checks: ALL_READY });
  });

  for (const name of UPSTREAMS) {
    it(`is not ready, and says so, while ${name} is not ready`, async () => {
      upstreams[name].readiness = 'not_ready';
      try {
        const response = await readyz();
        assert.equal(response.statusCode, 503);
        assert.deepEqual(response.json(), { status: 'not_ready', checks: { ...ALL_READY, [name]: false } });
      } finally {
        upstreams[name].readiness = 'ready';
      }
      assert.equal((await readyz()).statusCode, 200, 'ready again once the upstream is');
    });
  }

  it('asks the upstreams in parallel, each bounded by its timeout', async () => {
    for (const name of UPSTREAMS) upstreams[name].readiness = 'hang';
    try {
      const started = Date.now();
      const response = await readyz();
      const elapsed = Date.now() - started;
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json().checks, {
        redis: true,
        auth: false,
        catalog: false,
        invoicing: false,
        document: false,
        notification: false,
      });
      // One after another, five 300 ms timeouts would take 1.5 s.
      assert.ok(elapsed >= 250 && elapsed < 1_200, `answered in ${elapsed} ms`);
    } finally {
      for (const name of UPSTREAMS) upstreams[name].readiness = 'ready';
    }
  });

  it('is not ready while an upstream cannot be reached at all', async () => {
    const partial = await startGateway(upstreamEnv({ ...urls, invoicing: CLOSED_PORT_URL }));
    try {
      const response = await partial.app.inject({ method: 'GET', url: '/readyz' });
      assert.equal(response.statusCode, 503);
      assert.deepEqual(response.json().checks, { ...ALL_READY, invoicing: false });
    } finally {
      await partial.close();
    }
  });
});
