/**
 * Shared by `npm start` and the system tests: the infrastructure checks, the embedded S3 and SMTP
 * stand-ins, the ports and URLs of the processes, spawning each service as its own process, and
 * waiting until the whole system is ready.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import S3rver from 's3rver';
import { canConnect } from '@invoice/platform-testing';
import { buildServices, builtEntry, isBuildFresh } from '../build.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The services in start order, with their ports. */
export const SERVICES = [
  { name: 'auth', port: 8081 },
  { name: 'catalog', port: 8082 },
  { name: 'invoicing', port: 8083 },
  { name: 'document', port: 8084 },
  { name: 'notification', port: 8085 },
  { name: 'gateway', port: 8080 },
] as const;

/** The name of a process of the system. */
export type ServiceName = (typeof SERVICES)[number]['name'];

/** The gateway's port when none is chosen (`START_PORT`). */
export const DEFAULT_GATEWAY_PORT = 8080;

/**
 * The port of each process when the gateway listens on `gatewayPort`: the services take the next
 * five (with the default 8080: auth 8081, catalog 8082, invoicing 8083, document 8084,
 * notification 8085).
 */
export function systemPorts(gatewayPort = DEFAULT_GATEWAY_PORT): Record<ServiceName, number> {
  return Object.fromEntries(
    SERVICES.map((service) => [service.name, gatewayPort + service.port - DEFAULT_GATEWAY_PORT]),
  ) as Record<ServiceName, number>;
}

/** True when nothing listens on `port` (127.0.0.1) right now. */
async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port that was free a moment ago (the system picks it, binds it and releases it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A gateway port such that it and the five ports after it are free right now; below Linux's
 * ephemeral range (32768+), so an outgoing connection does not take one in the meantime.
 */
export async function freeGatewayPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 1_200) * 10;
    const ports = Object.values(systemPorts(base));
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) return base;
  }
  throw new Error('no six free ports found');
}

/** The variables that let the processes find each other on this machine. */
export function systemUrls(ports: Record<ServiceName, number>): Record<string, string> {
  const url = (name: ServiceName) => `http://127.0.0.1:${ports[name]}`;
  return {
    AUTH_JWKS_URL: `${url('auth')}/.well-known/jwks.json`,
    AUTH_URL: url('auth'),
    CATALOG_URL: url('catalog'),
    INVOICING_URL: url('invoicing'),
    DOCUMENT_URL: url('document'),
    NOTIFICATION_URL: url('notification'),
  };
}

/** A dependency that must be running, with the command that starts it on a dev machine. */
interface Requirement {
  name: string;
  url: string;
  howToStart: string;
}

/** Checks Postgres, NATS and Redis; returns a message per unreachable one. */
export async function checkInfrastructure(urls: {
  databaseUrl: string;
  natsUrl: string;
  redisUrl: string;
}): Promise<string[]> {
  const requirements: Requirement[] = [
    {
      name: 'PostgreSQL',
      url: urls.databaseUrl,
      howToStart:
        'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start   (or: docker compose up -d postgres)',
    },
    {
      name: 'NATS (with JetStream)',
      url: urls.natsUrl,
      howToStart:
        'nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server &   (or: docker compose up -d nats)',
    },
    {
      name: 'Redis',
      url: urls.redisUrl,
      howToStart:
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no   (or: docker compose up -d redis)',
    },
  ];
  const missing: string[] = [];
  for (const requirement of requirements) {
    if (!(await canConnect(requirement.url))) {
      missing.push(
        `${requirement.name} is not reachable at ${redact(requirement.url)}.\n    Start it with: ${requirement.howToStart}`,
      );
    }
  }
  return missing;
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** Creates the application database when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  const target = new URL(databaseUrl);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`create database "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

/** Starts s3rver over a local folder (an S3-compatible stand-in; it does not check signatures). */
export async function startEmbeddedS3(
  port: number,
  directory: string,
): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  await mkdir(directory, { recursive: true });
  const server = new S3rver({ port, address: '127.0.0.1', silent: true, directory });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}

/** Starts MailDev (SMTP catcher + web inbox + REST API) as a child process. */
export function startMailDev(smtpPort: number, webPort: number): ChildProcess {
  return spawn(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/maildev/dist/bin/maildev.js'),
      '--smtp',
      String(smtpPort),
      '--web',
      String(webPort),
      '--ip',
      '127.0.0.1',
      '--web-ip',
      '127.0.0.1',
      '--silent',
    ],
    { stdio: 'ignore' },
  );
}

/** Where a child's output goes. */
export type ServiceOutput = 'inherit' | 'prefix' | 'ignore';

/** How a service process is started. */
export interface SpawnOptions {
  /**
   * `inherit` (default): the child writes to this process's stdout and stderr itself (each log line
   * names its service), so nothing is relayed through this process; `prefix`: every line is relayed
   * with the service name in front (costs this process a copy of every line); `ignore`: dropped
   * (read and discarded: `child.stdout` and `child.stderr` can still be listened to).
   */
  output?: ServiceOutput;
  /**
   * `dist` (default): plain `node dist/<name>/main.js`, the bundle `npm run build` writes (built
   * first, synchronously, when it is older than the sources: call {@link ensureBuilt} before to
   * build without blocking); `source`: `node --import tsx services/<name>/src/main.ts` (development).
   */
  mode?: 'dist' | 'source';
  /** Extra Node.js flags for the process (e.g. `--cpu-prof`). */
  nodeArgs?: readonly string[];
  /** Variables of one service only (its NATS credentials), on top of the shared ones. */
  envFor?: (service: ServiceName) => Record<string, string>;
}

let built: Promise<void> | undefined;

/**
 * Makes sure `dist/` is built from the current sources: builds (`npm run build`) unless a complete
 * build newer than every source is there. Once per process; later calls wait for the same build.
 */
export function ensureBuilt(): Promise<void> {
  built ??= isBuildFresh() ? Promise.resolve() : buildServices();
  return built;
}

/** Extra Node.js flags of every service process: `SERVICE_NODE_ARGS` (space-separated), if set. */
export function serviceNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.SERVICE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/**
 * How every service process runs (the same flags as deploy/Dockerfile's NODE_OPTIONS): stack traces
 * name the TypeScript sources (dist/ has linked source maps), and the young generation stays at
 * 16 MB per semi-space. V8 sizes it from the machine's memory otherwise (far larger here), which
 * under load lets each process's RSS pass 300 MB while scavenges save next to nothing (measured
 * with `npm run bench`: invoicing's peak RSS under P1 from ~370 to ~230 MB).
 */
export const SERVICE_NODE_FLAGS = ['--enable-source-maps', '--max-semi-space-size=16'];

/**
 * Spawns one service with the given environment: `node dist/<name>/main.js` (see
 * {@link SpawnOptions}; a bare output argument is the `output` option).
 */
export function spawnService(
  name: string,
  env: Record<string, string>,
  options: ServiceOutput | SpawnOptions = {},
): ChildProcess {
  const {
    output = 'inherit',
    mode = 'dist',
    nodeArgs = [],
  } = typeof options === 'string' ? { output: options } : options;
  // Never a stale or missing bundle: a caller that did not build first waits for a build here.
  if (mode === 'dist' && !isBuildFresh()) {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'build.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  // `nodeArgs` come after the defaults, so they can change them again (`--no-enable-source-maps`).
  const args =
    mode === 'dist'
      ? [...SERVICE_NODE_FLAGS, ...nodeArgs, builtEntry(name)]
      : [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'services', name, 'src', 'main.ts')];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', output === 'inherit' ? 'inherit' : 'pipe', output === 'inherit' ? 'inherit' : 'pipe'],
  });
  if (output === 'prefix') {
    const prefix = `${name.padEnd(12)}| `;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n'))
          if (line.trim()) process.stdout.write(`${prefix}${line}\n`);
      });
    }
  } else if (output === 'ignore') {
    child.stdout?.resume();
    child.stderr?.resume();
  }
  return child;
}

/**
 * Spawns every service of the system as its own process (`env` for all of them, each on its port);
 * see {@link waitUntilReady} for when they can be used.
 */
export function spawnSystem(
  env: Record<string, string>,
  ports: Record<ServiceName, number>,
  options: ServiceOutput | SpawnOptions = {},
): ChildProcess[] {
  const envFor = typeof options === 'string' ? undefined : options.envFor;
  return SERVICES.map((service) =>
    spawnService(
      service.name,
      { ...env, ...envFor?.(service.name), PORT: String(ports[service.name]) },
      options,
    ),
  );
}

/**
 * Waits until the whole system is ready: the gateway's `/readyz` answers 200 only when Redis and
 * every service's own `/readyz` do. Rejects early when one of `children` exits.
 */
export async function waitUntilReady(
  ports: Record<ServiceName, number>,
  children: ChildProcess[],
  timeoutMs = 120_000,
): Promise<void> {
  let onExit: (() => void) | undefined;
  const exited = new Promise<never>((_resolve, reject) => {
    onExit = () => reject(new Error('a process of the system exited before it was ready'));
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) onExit();
      child.once('exit', onExit);
    }
  });
  try {
    await Promise.race([waitForHttp(`http://127.0.0.1:${ports.gateway}/readyz`, timeoutMs), exited]);
  } finally {
    for (const child of children) if (onExit) child.off('exit', onExit);
  }
}

/** Waits until `GET url` answers 200. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs} ms`);
}

/** Stops child processes with SIGTERM, then SIGKILL after a grace period. */
export async function stopChildren(children: ChildProcess[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}
