/**
 * The catalog HTTP app for `bench/catalog-import.bench.ts`: a fresh migrated database, S3 (s3rver)
 * and Redis namespace through the test harness, no import worker (the bench starts that in its own
 * process). Prints one JSON line (url, token, pid, config), then serves until killed.
 */
import { randomUUID } from 'node:crypto';
import { startHarness } from '../../services/catalog/test/support/harness.ts';

const h = await startHarness({ s3: true, relay: 'manual' });
const orgId = randomUUID();
const token = await h.token(orgId, {
  role: 'member',
  permissions: ['products_management', 'category_management'],
});
const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(
  `${JSON.stringify({ url: address, token, orgId, pid: process.pid, config: h.config })}\n`,
);
process.on('SIGTERM', () => void h.close().finally(() => process.exit(0)));
