/**
 * `npm start`: runs the whole system on this machine. Builds the services (`npm run build`: plain
 * JavaScript in `dist/`), checks Postgres, NATS and Redis (and says how to start a missing one),
 * creates the database, starts the S3 and SMTP stand-ins when no S3 or SMTP is configured, then
 * every service as its own process (`node dist/<service>/main.js`; each migrates its schema on
 * start), and prints its banner once the whole system is ready: the gateway's `/readyz` answers 200
 * only when Redis and every service's own `/readyz` do, so the first request after the banner is
 * served.
 *
 * `npm run dev` (`--dev`, or `START_MODE=dev`) runs the services from their TypeScript sources with
 * tsx instead, without a build. The services write their JSON log lines (each names its service)
 * straight to this terminal; `START_OUTPUT=prefix` relays them through this process with the
 * service name in front instead. `SERVICE_NODE_ARGS` adds Node.js flags to every service process
 * (e.g. `--cpu-prof --cpu-prof-dir=.data/profiles`). `START_PORT` moves the gateway (default
 * 8080); the services take the next five ports.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { passwordVariable } from '@invoice/platform-bus';
import { startNatsServer } from '@invoice/platform-testing';
import {
  checkInfrastructure,
  DEFAULT_GATEWAY_PORT,
  ensureDatabase,
  ROOT,
  serviceNodeArgs,
  spawnSystem,
  startEmbeddedS3,
  startMailDev,
  stopChildren,
  systemPorts,
  systemUrls,
  waitUntilReady,
  type ServiceName,
} from './lib/dev-env.ts';
import { buildServices } from './build.ts';

const env = process.env;
const databaseUrl = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/invoice';
// Without NATS_URL the system runs its own nats-server from deploy/nats (below); with it, an
// external NATS: open, or locked down with NATS_PASSWORD_<SERVICE> for each service.
let natsUrl = env.NATS_URL ?? '';
const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const gatewayPort = Number(env.START_PORT ?? DEFAULT_GATEWAY_PORT);
if (!Number.isInteger(gatewayPort) || gatewayPort < 1 || gatewayPort > 65_530) {
  console.error(`Cannot start: START_PORT must be a port number up to 65530, not "${env.START_PORT}".`);
  process.exit(1);
}
const ports = systemPorts(gatewayPort);
const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
const mode = process.argv.includes('--dev') || env.START_MODE === 'dev' ? 'source' : 'dist';
const output = process.argv.includes('--prefix') || env.START_OUTPUT === 'prefix' ? 'prefix' : 'inherit';

if (mode === 'dist') {
  const started = performance.now();
  try {
    await buildServices();
  } catch (error) {
    console.error(`Cannot start: the build failed.\n${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`);
}

const stops: (() => Promise<void>)[] = [];
let natsNote = `NATS:          ${natsUrl} (configured)`;
let natsEnvFor: (service: ServiceName) => Record<string, string> = (service): Record<string, string> => {
  const password = env[passwordVariable(service)];
  return password
    ? { NATS_USER: env[`NATS_USER_${service.toUpperCase()}`] ?? service, NATS_PASSWORD: password }
    : {};
};
if (!natsUrl) {
  const port = Number(env.START_NATS_PORT ?? 4223);
  try {
    const nats = await startNatsServer({ port, dir: path.join(ROOT, '.data', 'nats'), keepPasswords: true });
    stops.push(nats.stop);
    natsUrl = nats.url;
    natsEnvFor = (service): Record<string, string> => (service === 'gateway' ? {} : nats.envFor(service));
    natsNote = `NATS:          ${nats.url}  (deploy/nats config; JetStream in .data/nats; passwords in .data/nats/credentials.json, read-only user "subscriber")`;
  } catch (error) {
    console.error(`Cannot start: the project's nats-server did not start.\n${String(error)}`);
    process.exit(1);
  }
}

// One-time tokens in auth's events are sealed for notification only: a key of this machine's own
// (kept in .data/, never committed) unless BUS_TOKEN_KEY is given.
const busTokenKey = env.BUS_TOKEN_KEY || (await localSecret(path.join(ROOT, '.data', 'bus-token-key')));
const natsEnvOnly = natsEnvFor;
natsEnvFor = (service): Record<string, string> => ({
  ...natsEnvOnly(service),
  ...(service === 'auth' || service === 'notification' ? { BUS_TOKEN_KEY: busTokenKey } : {}),
});

const missing = await checkInfrastructure({ databaseUrl, natsUrl, redisUrl });
if (missing.length > 0) {
  console.error(
    `Cannot start: ${missing.length} required service(s) unreachable.\n\n  ${missing.join('\n\n  ')}\n`,
  );
  process.exit(1);
}
await ensureDatabase(databaseUrl);

const children: ChildProcess[] = [];
const shared: Record<string, string> = {
  DATABASE_URL: databaseUrl,
  NATS_URL: natsUrl,
  REDIS_URL: redisUrl,
  HOST: env.HOST ?? '127.0.0.1',
  ...systemUrls(ports),
  // The front end the emails link to (notification's own default when not given).
  ...(env.APP_URL ? { APP_URL: env.APP_URL } : {}),
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

const services = spawnSystem({ ...shared, ROLE: 'all' }, ports, {
  mode,
  output,
  nodeArgs: serviceNodeArgs(),
  envFor: natsEnvFor,
});
children.push(...services);

// One shutdown, however many reasons arrive (a signal, a process exiting, readiness failing): a
// second caller waits for the first instead of exiting while the children are still stopping.
let stopping: Promise<never> | undefined;
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    await stopChildren(children);
    for (const stop of stops) await stop().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
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
  await waitUntilReady(ports, services);
} catch (error) {
  console.error(String(error));
  await shutdown(1);
}
console.log(`
Invoice platform is running.
  API (gateway):  ${gatewayUrl}   (OpenAPI: ${gatewayUrl}/docs)
  ${mailNote}
  ${s3Note}
  ${natsNote}
${mode === 'source' ? '  Services run from their TypeScript sources (npm run dev).\n' : ''}Press Ctrl+C to stop.
`);

/** A random secret kept in `file` (made on first use, readable by the owner only). */
async function localSecret(file: string): Promise<string> {
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim()) return existing.trim();
  const secret = randomBytes(32).toString('base64url');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
