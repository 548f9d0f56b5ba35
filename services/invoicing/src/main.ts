/** Invoicing process: runs the roles chosen by ROLE (runService migrates first for api, all and migrate). */
import { createLogger } from '@invoice/platform-logger';
import { exitOnStartupError, runService } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { connect, serviceDeps } from './deps.ts';
import { consumers } from './events/index.ts';

const config = readConfig();
const logger = createLogger('invoicing', config.LOG_LEVEL);

try {
  const { orm, bus } = await connect(config, logger);
  const deps = serviceDeps({ config, logger, orm, bus });
  await runService({
    name: 'invoicing',
    role: config.ROLE,
    logger,
    host: config.HOST,
    port: config.PORT,
    orm,
    bus,
    buildApp: () => buildApp(deps),
    consumers: consumers({ orm }),
  });
} catch (error) {
  exitOnStartupError(logger, error);
}
