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
  prepare: (deps) => deps.storage.ensureBucket(),
};
