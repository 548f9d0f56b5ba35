/** Process entry: config, connections, RPC responders (api/all), then runService (which migrates). */
import { Bus } from '@invoice/platform-bus';
import { createOrm } from '@invoice/platform-db';
import { createJwtVerifier } from '@invoice/platform-http';
import { createLogger } from '@invoice/platform-logger';
import { exitOnStartupError, runService } from '@invoice/platform-service';
import { buildApp } from './app.ts';
import { readConfig, type Config } from './config.ts';
import { entities, migrations, SCHEMA } from './db/index.ts';
import { registerResponders } from './rpc/responders.ts';

let config: Config;
try {
  config = readConfig();
} catch (error) {
  // No logger without a valid LOG_LEVEL; the message names every bad variable.
  console.error(String(error));
  process.exit(1);
}
const logger = createLogger('catalog', config.LOG_LEVEL);

try {
  const orm = await createOrm({ url: config.DATABASE_URL, schema: SCHEMA, entities, migrations, logger });
  const bus = await Bus.connect({
    url: config.NATS_URL,
    namespace: config.NATS_NAMESPACE,
    name: 'catalog',
    logger,
  });
  if (config.ROLE === 'all' || config.ROLE === 'api') registerResponders(bus, orm);
  const verifyToken = createJwtVerifier({
    jwksUrl: config.AUTH_JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });
  await runService({
    name: 'catalog',
    role: config.ROLE,
    logger,
    host: config.HOST,
    port: config.PORT,
    orm,
    bus,
    buildApp: () => buildApp({ orm, bus, logger, verifyToken }),
    // Consumers of auth.organization.* arrive with categories and imports.
    consumers: [],
  });
} catch (error) {
  exitOnStartupError(logger, error);
}
