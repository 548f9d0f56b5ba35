/** The catalog service as the runtime and the test harness see it. */
import type { ServiceDefinition } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { closeDeps, createDeps, SERVICE, type Deps } from './deps.ts';
import { responders } from './rpc/responders.ts';
import { startWorkers } from './workers/index.ts';

// Consumers of auth.organization.* arrive with categories and imports.
const parts = { name: SERVICE, readConfig, createDeps, closeDeps, buildApp, responders, startWorkers };
export const service: ServiceDefinition<Config, Deps> = {
  ...parts,
  // Without S3 only imports are unavailable: clients, products and categories still serve.
  prepare: async (deps) => {
    await deps.storage
      .ensureBucket()
      .catch((err: unknown) => deps.logger.warn({ err }, 'S3 bucket not reachable'));
  },
};
