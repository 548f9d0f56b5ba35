/** Process entry of the auth service: config, connections, migrations, then the chosen roles. */
import { Bus } from '@invoice/platform-bus';
import { createLogger } from '@invoice/platform-logger';
import { exitOnStartupError, runService } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { openAuthOrm } from './db/orm.ts';
import { respondOrganizationGet } from './rpc/organization-get.responder.ts';

// At the default level until the configuration names one, so a bad variable is reported too.
let logger = createLogger('auth');
try {
  const config = readConfig();
  logger = createLogger('auth', config.LOG_LEVEL);
  const orm = await openAuthOrm(config.DATABASE_URL, logger);
  const bus = await Bus.connect({
    url: config.NATS_URL,
    namespace: config.NATS_NAMESPACE,
    name: 'auth',
    logger,
  });
  if (config.ROLE === 'all' || config.ROLE === 'api') respondOrganizationGet(bus, orm);
  await runService({
    name: 'auth',
    role: config.ROLE,
    logger,
    host: config.HOST,
    port: config.PORT,
    orm,
    bus,
    buildApp: () => buildApp({ config, logger, orm, isBusReady: () => bus.isReady() }),
    consumers: [],
  });
} catch (error) {
  exitOnStartupError(logger, error);
}
