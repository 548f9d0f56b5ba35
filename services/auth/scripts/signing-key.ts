/**
 * Signing key chores.
 *
 *   npm run signing-key -w @invoice/auth -- generate   prints a new private Ed25519 JWK for AUTH_SIGNING_KEY
 *   npm run signing-key -w @invoice/auth -- public     reads a private JWK on stdin, prints its public JWK
 *                                                       (for AUTH_PREVIOUS_SIGNING_KEYS during a rotation)
 *   npm run signing-key -w @invoice/auth -- rotate     rotates the key stored in the database (deployments
 *                                                       without AUTH_SIGNING_KEY); the old key stays published a day
 */
import { text } from 'node:stream/consumers';
import { createLogger } from '@invoice/platform-logger';
import { closeConnections, openConnections } from '@invoice/platform-service';
import { readConfig } from '../src/config.ts';
import { generateConfiguredKey, SigningKeys } from '../src/crypto/signing-keys.ts';
import { entities, migrations } from '../src/db/index.ts';

const command = process.argv[2];
if (command === 'generate') {
  process.stdout.write(`${JSON.stringify(await generateConfiguredKey())}\n`);
} else if (command === 'public') {
  const { kty, crv, x, kid } = JSON.parse(await text(process.stdin)) as Record<string, string>;
  process.stdout.write(`${JSON.stringify({ kty, crv, x, kid, alg: 'EdDSA', use: 'sig' })}\n`);
} else if (command === 'rotate') {
  const config = readConfig();
  const logger = createLogger('auth', config.LOG_LEVEL);
  const { orm, bus } = await openConnections(config, logger, { name: 'auth', entities, migrations });
  try {
    const keys = await SigningKeys.open(orm, { configuredKey: config.AUTH_SIGNING_KEY, logger });
    logger.info({ kid: await keys.rotate() }, 'signing key rotated');
  } finally {
    await closeConnections({ orm, bus });
  }
} else {
  process.stderr.write('usage: signing-key generate | public | rotate\n');
  process.exitCode = 2;
}
