/**
 * `npm start` prints its banner only when the whole system is ready. The system is started the way
 * `npm start` starts it (its own script, every service its own process) on ports, a database and a
 * namespace of its own; the moment the banner appears, a sign-up through the gateway must succeed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  gatewayApi,
  prepareSystem,
  startScript,
  stopScript,
  type StartedScript,
  type SystemEnvironment,
} from './support/system.ts';

const BANNER = /^Invoice platform is running\.$/;

describe('npm start', { timeout: 240_000 }, () => {
  let system: SystemEnvironment;
  let script: StartedScript | undefined;

  before(async () => {
    system = await prepareSystem();
  });

  after(async () => {
    if (script) await stopScript(script);
    await system?.cleanup();
  });

  it('prints its banner once the system serves requests: a sign-up right after it succeeds', async () => {
    script = startScript(system);
    await script.waitForLine(BANNER, 180_000);
    const signup = await gatewayApi(system.gatewayUrl)('POST', '/v1/auth/signup', {
      organizationName: 'Initech AG',
      name: 'Peter Gibbons',
      email: `first-${system.namespace}@example.test`,
      password: 'correct horse battery staple',
    });
    assert.equal(signup.status, 201, JSON.stringify(signup.json));

    // Ready stays ready: no service sheds load in the seconds after its start (under-pressure
    // once reported "no sample yet" as an infinite event-loop delay and answered 503).
    for (const until = Date.now() + 3_000; Date.now() < until;) {
      const readiness = await fetch(`${system.gatewayUrl}/readyz`);
      assert.equal(readiness.status, 200, `gateway not ready after the banner: ${await readiness.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(
      script.lines.some((line) => line.includes(`API (gateway):  ${system.gatewayUrl}`)),
      'the banner names the gateway it started',
    );
  });
});
