/**
 * `npm start`: runs the whole system on this machine. Checks Postgres, NATS and Redis (and says how
 * to start a missing one), creates the database, starts the S3 and SMTP stand-ins when no S3 or
 * SMTP is configured, then every service as its own process (each migrates its schema on start).
 */
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import {
  checkInfrastructure,
  ensureDatabase,
  ROOT,
  SERVICES,
  spawnService,
  startEmbeddedS3,
  startMailDev,
  stopChildren,
  waitForHttp,
} from './lib/dev-env.ts';

const env = process.env;
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoice';
const natsUrl = env.NATS_URL ?? 'nats://127.0.0.1:4222';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const missing = await checkInfrastructure({ databaseUrl, natsUrl, redisUrl });
if (missing.length > 0) {
  console.error(
    `Cannot start: ${missing.length} required service(s) unreachable.\n\n  ${missing.join('\n\n  ')}\n`,
  );
  process.exit(1);
}
await ensureDatabase(databaseUrl);

const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
const shared: Record<string, string> = {
  DATABASE_URL: databaseUrl,
  NATS_URL: natsUrl,
  REDIS_URL: redisUrl,
  HOST: env.HOST ?? '127.0.0.1',
};

let s3Note = `S3:            ${env.S3_ENDPOINT} (configured)`;
if (!env.S3_ENDPOINT) {
  const s3 = await startEmbeddedS3(4569, path.join(ROOT, '.data', 's3'));
  stops.push(s3.stop);
  Object.assign(shared, {
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  s3Note = `S3 (s3rver):   ${s3.endpoint}  (files in .data/s3)`;
}
let mailNote = `SMTP:          ${env.SMTP_HOST}:${env.SMTP_PORT ?? 25} (configured)`;
if (!env.SMTP_HOST) {
  const maildev = startMailDev(1025, 1080);
  children.push(maildev);
  Object.assign(shared, { SMTP_HOST: '127.0.0.1', SMTP_PORT: '1025' });
  mailNote =
    'Mail (MailDev): web inbox http://127.0.0.1:1080/index.html · REST API http://127.0.0.1:1080/api/email · SMTP 127.0.0.1:1025';
}

for (const service of SERVICES) {
  children.push(spawnService(service.name, { ...shared, PORT: String(service.port), ROLE: 'all' }));
}

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await stopChildren(children);
    for (const stop of stops) await stop().catch(() => undefined);
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
for (const child of children) {
  child.once('exit', (code) => {
    if (!stopping) {
      console.error(`a process exited (code ${code}); stopping everything`);
      void shutdown(1);
    }
  });
}

try {
  await Promise.all(
    SERVICES.map((service) => waitForHttp(`http://127.0.0.1:${service.port}/readyz`, 90_000)),
  );
} catch (error) {
  console.error(String(error));
  await shutdown(1);
}
console.log(`
Invoice platform is running.
  API (gateway):  http://127.0.0.1:8080   (OpenAPI: http://127.0.0.1:8080/docs)
  ${mailNote}
  ${s3Note}
Press Ctrl+C to stop.
`);
