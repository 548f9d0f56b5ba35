/** The invoicing service as the runtime and the test harness see it. */
import type { ServiceDefinition } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { closeDeps, createDeps, SERVICE, type Deps } from './deps.ts';
import { consumers } from './events/index.ts';
import { responders } from './rpc/responders.ts';
import { startWorkers as startOverdueWorkers } from './workers/overdue.worker.ts';
import { startRecurringWorkers } from './workers/recurring.worker.ts';

/** Every job family of the service: the overdue scan and the recurring-invoice scheduler. */
async function startWorkers(deps: Deps) {
  return [...(await startOverdueWorkers(deps)), ...(await startRecurringWorkers(deps))];
}

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
