/** The invoicing service as the runtime and the test harness see it. */
import type { ServiceDefinition } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { closeDeps, createDeps, SERVICE, type Deps } from './deps.ts';
import { consumers } from './events/index.ts';
import { responders } from './rpc/responders.ts';
import { startWorkers } from './workers/index.ts';

const parts = {
  name: SERVICE,
  readConfig,
  createDeps,
  closeDeps,
  buildApp,
  consumers,
  responders,
  startWorkers,
};
export const service: ServiceDefinition<Config, Deps> = parts;
