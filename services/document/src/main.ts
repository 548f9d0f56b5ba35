/** The document service process: ROLE=api serves HTTP, worker consumes events and renders, relay publishes the outbox. */
import { createLogger } from '@invoice/platform-logger';
import { exitOnStartupError, runService } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { closeClients, createDeps } from './deps.ts';
import { consumers } from './events/index.ts';
import { startWorkers } from './workers/index.ts';

const config = readConfig();
const logger = createLogger('document', config.LOG_LEVEL);

try {
  const deps = await createDeps(config, logger);
  if (config.ROLE !== 'migrate') await deps.storage.ensureBucket();
  await runService({
    name: 'document',
    role: config.ROLE,
    logger,
    host: config.HOST,
    port: config.PORT,
    orm: deps.orm,
    bus: deps.bus,
    buildApp: () => buildApp(deps),
    consumers: consumers(deps),
    startWorkers: () => startWorkers(deps),
    close: () => closeClients(deps),
  });
} catch (error) {
  exitOnStartupError(logger, error);
}
