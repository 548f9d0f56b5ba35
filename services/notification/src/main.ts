/** Notification process: API (email log), event consumers, the send-email worker and its reconciler. */
import { createLogger } from '@invoice/platform-logger';
import { exitOnStartupError, runService } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { closeDeps, createDeps, SERVICE } from './deps.ts';
import { consumers } from './events/index.ts';
import { startWorkers } from './workers/index.ts';

const config = readConfig();
const logger = createLogger(SERVICE, config.LOG_LEVEL);

try {
  const deps = await createDeps(config, logger);
  await runService({
    name: SERVICE,
    role: config.ROLE,
    logger,
    host: config.HOST,
    port: config.PORT,
    orm: deps.orm,
    bus: deps.bus,
    buildApp: () => buildApp(deps),
    consumers: consumers(deps),
    startWorkers: () => startWorkers(deps),
    close: () => closeDeps(deps),
  });
} catch (error) {
  exitOnStartupError(logger, error);
}
