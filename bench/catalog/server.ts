/**
 * The catalog service in its own process for `bench/catalog-export.bench.ts`: a fresh migrated
 * database through the test harness, `PRODUCTS` products seeded in one SQL statement for a new
 * organization, the HTTP app listening on a free port. Prints one JSON line (port, token, orgId),
 * then serves until killed.
 */
import { randomUUID } from 'node:crypto';
import { qualified } from '@invoice/platform-db';
import { startHarness } from '../../services/catalog/test/support/harness.ts';

const count = Number(process.env.PRODUCTS ?? 100_000);
const h = await startHarness({ relay: 'manual' });
const orgId = randomUUID();
const em = h.deps.orm.em.fork();
const table = qualified(em, 'products');
await em.execute(
  `insert into ${table} (id, org_id, name, description, sku, unit_price, currency, unit_code, vat_rate, attributes, version, created_at, updated_at)
   select gen_random_uuid(), ?, 'Product ' || n, 'Description of product ' || n, 'SKU-' || n,
          (n % 1000) + 0.99, 'EUR', 'C62', 19, jsonb_build_object('color', 'red', 'size', n % 50), 1, now(), now()
   from generate_series(1, ?) as n`,
  [orgId, count],
);
const token = await h.token(orgId, { role: 'member', permissions: ['products_management'] });
const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`${JSON.stringify({ url: address, token, orgId, pid: process.pid })}\n`);
process.on('SIGTERM', () => void h.close().finally(() => process.exit(0)));
