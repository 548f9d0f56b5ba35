/** A gateway for a test through the platform's service harness (its own Redis key prefix and token issuer). */
import { startServiceHarness, type ServiceHarness } from '@invoice/platform-testing';
import type { Config } from '../../src/config.ts';
import type { Deps } from '../../src/deps.ts';
import { service } from '../../src/service.ts';

/** A gateway under test. */
export interface TestGateway extends ServiceHarness<Config, Deps> {
  /** An `authorization` header with a fresh valid token. */
  bearer: () => Promise<{ authorization: string }>;
}

/** Builds the gateway app (not listening) with `env` on top of the harness's environment. */
export async function startGateway(env: Record<string, string>): Promise<TestGateway> {
  const harness = await startServiceHarness(service, { env });
  return Object.assign(harness, {
    bearer: async () => ({ authorization: `Bearer ${await harness.issuer.sign({})}` }),
  });
}
