/**
 * `npm run migrate`: applies every service's pending migrations and exits, each service as
 * `ROLE=migrate` (exactly what the Kubernetes migration Job runs), from the built JavaScript (built
 * first). Creates the database first.
 */
import { ensureBuilt, ensureDatabase, SERVICES, spawnService } from './lib/dev-env.ts';

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoice';
await ensureBuilt();
await ensureDatabase(databaseUrl);

for (const { name } of SERVICES) {
  if (name === 'gateway') continue; // no database
  const child = spawnService(name, { DATABASE_URL: databaseUrl, ROLE: 'migrate' });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) {
    console.error(`${name}: migrations failed (exit ${code})`);
    process.exit(1);
  }
}
console.log('every service is migrated');
