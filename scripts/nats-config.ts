/**
 * Writes deploy/nats/nats-server.conf from the identities in contracts/src/bus-identities.ts
 * (`npm run nats:config`); `--check` exits 1 when the committed file differs instead.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderNatsServerConfig } from '@invoice/platform-bus';

export const NATS_CONFIG_PATH = path.resolve(import.meta.dirname, '..', 'deploy', 'nats', 'nats-server.conf');

const rendered = renderNatsServerConfig();
if (process.argv.includes('--check')) {
  const committed = readFileSync(NATS_CONFIG_PATH, 'utf8');
  if (committed !== rendered) {
    console.error(`${NATS_CONFIG_PATH} is stale: run npm run nats:config`);
    process.exit(1);
  }
} else {
  writeFileSync(NATS_CONFIG_PATH, rendered);
  console.log(`wrote ${path.relative(process.cwd(), NATS_CONFIG_PATH)}`);
}
