/**
 * What the system tests share: an isolated environment for a whole system (its own database, NATS
 * namespace, BullMQ prefix, S3 bucket, SMTP sink and free ports), starting it the way `npm start`
 * does (each service its own process, ready when the gateway says so), stopping every process, and
 * a client of the public API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  startS3,
  startNatsServer,
  startSmtpSink,
  testNamespace,
  type NatsServer,
  type SmtpSink,
} from '@invoice/platform-testing';
import {
  ensureBuilt,
  freeGatewayPort,
  ROOT,
  serviceNodeArgs,
  spawnSystem,
  stopChildren,
  systemPorts,
  systemUrls,
  waitUntilReady,
  type ServiceName,
} from '../../../scripts/lib/dev-env.ts';

/** An isolated place for one system: what its processes are given, and how to remove it. */
export interface SystemEnvironment {
  ports: Record<ServiceName, number>;
  gatewayUrl: string;
  /** The environment of every process of the system. */
  env: Record<string, string>;
  namespace: string;
  natsUrl: string;
  smtp: SmtpSink;
  /**
   * With `lockedNats`: the system's own nats-server, started from the committed deploy/nats
   * configuration; each service connects as itself (no namespace: it is the server of this system).
   */
  nats?: NatsServer;
  /** Drops the database and streams, stops the S3 server and the SMTP sink. */
  cleanup: () => Promise<void>;
}

/** Where the processes' output goes: shown with `TEST_LOG_LEVEL`, dropped otherwise. */
export const processOutput = process.env.TEST_LOG_LEVEL ? 'prefix' : 'ignore';

/** Creates the database, S3 bucket, SMTP sink, namespace and ports of one system. */
export async function prepareSystem(options: { lockedNats?: boolean } = {}): Promise<SystemEnvironment> {
  const infra = await infrastructure();
  const [database, s3, smtp, nats] = await Promise.all([
    createTestDatabase(),
    startS3(),
    startSmtpSink(),
    options.lockedNats ? startNatsServer() : undefined,
  ]);
  const namespace = testNamespace();
  const ports = systemPorts(await freeGatewayPort());
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    NATS_URL: nats?.url ?? infra.natsUrl,
    REDIS_URL: infra.redisUrl,
    NATS_NAMESPACE: nats ? '' : namespace,
    QUEUE_PREFIX: namespace,
    S3_ENDPOINT: s3.options.endpoint,
    S3_BUCKET: s3.options.bucket,
    S3_ACCESS_KEY_ID: s3.options.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.options.secretAccessKey,
    SMTP_HOST: smtp.host,
    SMTP_PORT: String(smtp.port),
    ...systemUrls(ports),
    APP_URL: gatewayUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    BUS_TOKEN_KEY: randomBytes(32).toString('base64url'),
    ROLE: 'all',
  };
  return {
    ports,
    gatewayUrl,
    env,
    namespace,
    natsUrl: nats?.url ?? infra.natsUrl,
    smtp,
    ...(nats ? { nats } : {}),
    cleanup: async () => {
      await smtp.stop();
      await s3.stop();
      if (nats) await nats.stop();
      else await deleteNamespaceStreams(infra.natsUrl, namespace).catch(() => undefined);
      await database.drop();
    },
  };
}

/**
 * Starts every service as its own process from the built JavaScript, as `npm start` does (built
 * once per test process, before the first start), and waits until the gateway's `/readyz` says the
 * whole system is ready. The processes are added to `children` before the wait, so the caller can
 * stop them even when they never get ready.
 */
export async function startServices(system: SystemEnvironment, children: ChildProcess[]): Promise<void> {
  await ensureBuilt();
  children.push(
    ...spawnSystem(system.env, system.ports, {
      output: processOutput,
      mode: 'dist',
      nodeArgs: serviceNodeArgs(),
      envFor: (service): Record<string, string> =>
        system.nats && service !== 'gateway' ? system.nats.envFor(service) : {},
    }),
  );
  await waitUntilReady(system.ports, children, 120_000);
}

/** Stops processes started by {@link startServices} (SIGTERM, then SIGKILL after a grace period). */
export async function stopServices(children: ChildProcess[]): Promise<void> {
  await stopChildren(children);
}

/** `npm start`'s own script (`scripts/start.ts`) running a system, and the lines it printed. */
export interface StartedScript {
  process: ChildProcess;
  /** The lines printed so far (stdout and stderr; the last 500 only when started `quiet`). */
  lines: string[];
  /** How many bytes it printed so far. */
  bytes: () => number;
  /** Resolves with the first line matching `pattern`; rejects if the script exits first. */
  waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<string>;
}

/**
 * Runs `scripts/start.ts` (what `npm start` runs) for `system`: the gateway on the system's port,
 * S3 and SMTP from the environment, so no embedded stand-in takes a fixed port. It leads its own
 * process group, so {@link stopScript} can stop every process it started.
 */
export function startScript(system: SystemEnvironment, options: { quiet?: boolean } = {}): StartedScript {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', 'start.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...system.env, START_PORT: String(system.ports.gateway) },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let bytes = 0;
  const waiters = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (options.quiet && lines.length > 1_000) lines.splice(0, 500);
        if (process.env.TEST_LOG_LEVEL) process.stdout.write(`start       | ${line}\n`);
        for (const waiter of waiters) waiter(line);
      }
    });
  }
  const waitForLine = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return resolve(seen);
      const tail = () => lines.slice(-40).join('\n');
      const finish = () => {
        waiters.delete(onLine);
        child.off('exit', onExit);
        clearTimeout(timer);
      };
      const onLine = (line: string) => {
        if (!pattern.test(line)) return;
        finish();
        resolve(line);
      };
      const onExit = (code: number | null) => {
        finish();
        reject(new Error(`scripts/start.ts exited (code ${code}) before printing ${pattern}:\n${tail()}`));
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`scripts/start.ts printed no ${pattern} within ${timeoutMs} ms:\n${tail()}`));
      }, timeoutMs);
      waiters.add(onLine);
      child.once('exit', onExit);
    });
  return { process: child, lines, bytes: () => bytes, waitForLine };
}

/**
 * Stops `scripts/start.ts` as Ctrl+C would (it stops its children), then kills whatever of its
 * process group is left after `graceMs`.
 */
export async function stopScript(script: StartedScript, graceMs = 30_000): Promise<void> {
  const child = script.process;
  const group = child.pid;
  if (child.exitCode === null && child.signalCode === null) {
    let timer: NodeJS.Timeout | undefined;
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      timer = setTimeout(resolve, graceMs);
    });
    child.kill('SIGINT');
    await exited;
    clearTimeout(timer);
  }
  if (group !== undefined) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // the group is gone: every process has exited
    }
  }
}

/** A response of the public API: status, headers and the parsed JSON body. */
export interface ApiResponse {
  status: number;
  headers: Headers;
  // Response bodies are checked field by field; their shapes are the services' contracts.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: Record<string, any>;
}

/** A client of the public API behind `gatewayUrl`. */
export function gatewayApi(gatewayUrl: string) {
  return async function api(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    redirect: 'follow' | 'manual' = 'follow',
  ): Promise<ApiResponse> {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      redirect,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: response.status, headers: response.headers, json: json as ApiResponse['json'] };
  };
}
