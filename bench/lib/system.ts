/**
 * The system under test. Either an isolated one the bench starts the way `npm start` does (through
 * `scripts/lib/dev-env.ts`: every service its own process) on its own database (`invoice_bench`,
 * recreated for every scenario), NATS namespace and BullMQ prefix (`bench`), s3rver over a temp
 * folder, a timestamping SMTP sink and free ports; or a running one named by `--url`.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { deleteNamespaceStreams } from '@invoice/platform-testing';
import {
  checkInfrastructure,
  ensureBuilt,
  freeGatewayPort,
  freePort,
  ensureDatabase,
  SERVICES,
  serviceNodeArgs,
  spawnService,
  spawnSystem,
  startEmbeddedS3,
  stopChildren,
  systemPorts,
  systemUrls,
  waitUntilReady,
  type ServiceName,
} from '../../scripts/lib/dev-env.ts';
import { pidsListeningOn } from './procfs.ts';
import { startBenchSmtpSink, type AcceptedMail, type BenchSmtpSink } from './smtp-sink.ts';
import { sleep } from './stats.ts';

/** A process of the system whose CPU and memory the bench reports. */
export interface ServiceProcess {
  /** Service name, with its role when it is not `all` (e.g. `document (api)`). */
  name: string;
  pid: number;
}

/** Where mails end up, with the time each was accepted. */
export interface MailSource {
  mails: AcceptedMail[];
  onMail: ((mail: AcceptedMail) => void) | undefined;
}

/** What a scenario needs to know about the system it drives. */
export interface SystemUnderTest {
  gatewayUrl: string;
  databaseUrl: string;
  natsUrl: string;
  redisUrl: string;
  /** NATS namespace ('' for none): subjects are `<namespace>.<subject>`. */
  namespace: string;
  queuePrefix: string;
  s3: { endpoint: string; bucket: string; accessKeyId: string; secretAccessKey: string };
  mail: MailSource;
  /** True when the bench started the system (and so chose the roles of its processes). */
  isolated: boolean;
  /** The service processes at this moment. */
  processes(): ServiceProcess[];
}

/** The NATS subject on the wire for a logical subject (what `Bus.subject` does). */
export function wireSubject(system: Pick<SystemUnderTest, 'namespace'>, subject: string): string {
  return system.namespace ? `${system.namespace}.${subject}` : subject;
}

/** The role each service process runs (`all` unless named). */
export type Roles = Partial<Record<ServiceName, 'all' | 'api' | 'worker' | 'relay'>>;

const NAMESPACE = 'bench';
const DATABASE = 'invoice_bench';

/** The last lines a process printed (shown when it fails). */
function keepTail(child: ChildProcess, name: string, tails: Map<string, string[]>): void {
  const tail: string[] = [];
  tails.set(name, tail);
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    });
  }
}

/** Options of the isolated system. */
export interface IsolatedOptions {
  postgresUrl: string;
  natsUrl: string;
  redisUrl: string;
  logLevel: string | undefined;
  keep: boolean;
}

/**
 * An isolated system: S3 and SMTP live for the whole run; the database, streams and queues are
 * recreated by {@link IsolatedSystem.start} for every scenario, so one scenario's backlog never
 * reaches the next.
 */
export class IsolatedSystem implements SystemUnderTest {
  readonly isolated = true;
  readonly namespace = NAMESPACE;
  readonly queuePrefix = NAMESPACE;
  gatewayUrl = '';
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly redisUrl: string;
  s3 = { endpoint: '', bucket: 'invoice-bench', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  mail: BenchSmtpSink = undefined as unknown as BenchSmtpSink;
  private readonly options: IsolatedOptions;
  private children: { name: string; child: ChildProcess }[] = [];
  private readonly tails = new Map<string, string[]>();
  private stops: (() => Promise<void>)[] = [];
  private directory = '';

  constructor(options: IsolatedOptions) {
    this.options = options;
    const url = new URL(options.postgresUrl);
    url.pathname = `/${DATABASE}`;
    this.databaseUrl = url.toString();
    this.natsUrl = options.natsUrl;
    this.redisUrl = options.redisUrl;
  }

  /** Checks the infrastructure and starts S3 and the SMTP sink. */
  async prepare(): Promise<void> {
    const missing = await checkInfrastructure({
      databaseUrl: this.options.postgresUrl,
      natsUrl: this.natsUrl,
      redisUrl: this.redisUrl,
    });
    if (missing.length > 0) throw new Error(`infrastructure missing:\n  ${missing.join('\n  ')}`);
    // As `npm start`: the services run as the plain JavaScript `npm run build` writes to dist/.
    await ensureBuilt();
    this.directory = await mkdtemp(path.join(tmpdir(), 'invoice-bench-'));
    const s3 = await startEmbeddedS3(await freePort(), path.join(this.directory, 's3'));
    this.stops.push(s3.stop);
    this.s3.endpoint = s3.endpoint;
    this.mail = await startBenchSmtpSink();
    this.stops.push(() => this.mail.stop());
  }

  /** Drops and recreates the database, deletes the namespace's streams and queue keys. */
  async reset(): Promise<void> {
    const admin = new pg.Client({ connectionString: this.options.postgresUrl });
    await admin.connect();
    try {
      await admin.query(`drop database if exists ${DATABASE} with (force)`);
    } finally {
      await admin.end();
    }
    await ensureDatabase(this.databaseUrl);
    await deleteNamespaceStreams(this.natsUrl, NAMESPACE);
    await this.clearQueueKeys();
    this.mail.mails.length = 0;
  }

  /** Deletes every Redis key under the bench's prefix (BullMQ queues, gateway rate limits). */
  private async clearQueueKeys(): Promise<void> {
    const redis = new Redis(this.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${NAMESPACE}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }

  /** The environment of every process, as `npm start` gives it, plus the bench's isolation. */
  private environment(ports: Record<ServiceName, number>): Record<string, string> {
    return {
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.natsUrl,
      REDIS_URL: this.redisUrl,
      HOST: '127.0.0.1',
      ...systemUrls(ports),
      APP_URL: this.gatewayUrl,
      S3_ENDPOINT: this.s3.endpoint,
      S3_BUCKET: this.s3.bucket,
      S3_ACCESS_KEY_ID: this.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: this.s3.secretAccessKey,
      SMTP_HOST: this.mail.host,
      SMTP_PORT: String(this.mail.port),
      NATS_NAMESPACE: NAMESPACE,
      QUEUE_PREFIX: NAMESPACE,
      RATE_LIMIT_PER_MINUTE: '100000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      ...(this.options.logLevel ? { LOG_LEVEL: this.options.logLevel } : {}),
      ROLE: 'all',
    };
  }

  /**
   * Resets the state and starts the system on free ports: exactly as `npm start` when `roles` is
   * empty, otherwise with the named services in the named roles. Resolves when the gateway is ready.
   */
  async start(roles: Roles = {}): Promise<void> {
    await this.reset();
    const ports = systemPorts(await freeGatewayPort());
    this.gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    const env = this.environment(ports);
    // As `npm start` (built JavaScript, SERVICE_NODE_ARGS), except that the log lines go to a pipe
    // this process reads and drops (keeping the last ones for errors) instead of the terminal.
    const spawnOptions = { mode: 'dist', output: 'ignore', nodeArgs: serviceNodeArgs() } as const;
    const custom = Object.keys(roles).length > 0;
    const children = custom
      ? SERVICES.map((service) =>
          spawnService(
            service.name,
            { ...env, ROLE: roles[service.name] ?? 'all', PORT: String(ports[service.name]) },
            spawnOptions,
          ),
        )
      : spawnSystem(env, ports, spawnOptions);
    this.children = children.map((child, i) => {
      const service = SERVICES[i] as (typeof SERVICES)[number];
      const role = roles[service.name];
      const name = role && role !== 'all' ? `${service.name} (${role})` : service.name;
      keepTail(child, name, this.tails);
      return { name, child };
    });
    try {
      await waitUntilReady(ports, children, 180_000);
    } catch (error) {
      throw new Error(`${String(error)}\n${this.lastLines()}`, { cause: error });
    }
  }

  /** The last lines of each process (for errors). */
  lastLines(): string {
    return [...this.tails]
      .map(
        ([name, lines]) =>
          `--- ${name}\n${lines
            .slice(-8)
            .map((line) => line.slice(0, 300))
            .join('\n')}`,
      )
      .join('\n');
  }

  processes(): ServiceProcess[] {
    return this.children
      .filter(({ child }) => child.pid !== undefined && child.exitCode === null)
      .map(({ name, child }) => ({ name, pid: child.pid as number }));
  }

  /** Names of processes that exited on their own. */
  exited(): string[] {
    return this.children
      .filter(({ child }) => child.exitCode !== null || child.signalCode !== null)
      .map(({ name }) => name);
  }

  /** Stops the service processes (SIGTERM, then SIGKILL). */
  async stopServices(): Promise<void> {
    await stopChildren(
      this.children.map(({ child }) => child),
      15_000,
    );
    this.children = [];
  }

  /** Stops everything and removes what the run created (the database unless `keep`). */
  async cleanup(): Promise<void> {
    await this.stopServices();
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops = [];
    if (this.directory) await rm(this.directory, { recursive: true, force: true });
    if (this.options.keep) return;
    await deleteNamespaceStreams(this.natsUrl, NAMESPACE).catch(() => undefined);
    await this.clearQueueKeys().catch(() => undefined);
    const admin = new pg.Client({ connectionString: this.options.postgresUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${DATABASE} with (force)`).catch(() => undefined);
    await admin.end();
  }
}

/** Options for a system that is already running (`--url`). */
export interface RunningOptions {
  url: string;
  databaseUrl: string;
  natsUrl: string;
  redisUrl: string;
  namespace: string;
  queuePrefix: string;
  s3Endpoint: string;
  s3Bucket: string;
  maildevUrl: string;
}

/**
 * A system started elsewhere (e.g. `npm start`). Its processes are found by the ports they listen
 * on (the gateway's and the next five); mails are read from MailDev's REST API, with the time
 * MailDev received each.
 */
export class RunningSystem implements SystemUnderTest {
  readonly isolated = false;
  readonly gatewayUrl: string;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly redisUrl: string;
  readonly namespace: string;
  readonly queuePrefix: string;
  readonly s3: SystemUnderTest['s3'];
  readonly mail: MailSource = { mails: [], onMail: undefined };
  private readonly maildevUrl: string;
  private polling = false;
  private readonly seen = new Set<string>();

  constructor(options: RunningOptions) {
    this.gatewayUrl = options.url.replace(/\/$/, '');
    this.databaseUrl = options.databaseUrl;
    this.natsUrl = options.natsUrl;
    this.redisUrl = options.redisUrl;
    this.namespace = options.namespace;
    this.queuePrefix = options.queuePrefix;
    this.s3 = {
      endpoint: options.s3Endpoint,
      bucket: options.s3Bucket,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    };
    this.maildevUrl = options.maildevUrl.replace(/\/$/, '');
  }

  /** Starts reading MailDev (mails already there are skipped). */
  async prepare(): Promise<void> {
    const response = await fetch(`${this.gatewayUrl}/readyz`);
    if (!response.ok) throw new Error(`${this.gatewayUrl}/readyz answered ${response.status}`);
    await this.poll(true);
    this.polling = true;
    void (async () => {
      while (this.polling) {
        await this.poll(false).catch(() => undefined);
        await sleep(500);
      }
    })();
  }

  private async poll(skip: boolean): Promise<void> {
    const response = await fetch(`${this.maildevUrl}/api/email`, { signal: AbortSignal.timeout(5_000) });
    const list = (await response.json()) as {
      id: string;
      time: string;
      subject?: string;
      to?: { address: string }[];
      size?: number;
    }[];
    for (const item of list) {
      if (this.seen.has(item.id)) continue;
      this.seen.add(item.id);
      if (skip) continue;
      const mail: AcceptedMail = {
        acceptedAt: Date.parse(item.time),
        to: (item.to ?? []).map((to) => to.address),
        subject: item.subject ?? '',
        bytes: item.size ?? 0,
      };
      this.mail.mails.push(mail);
      this.mail.onMail?.(mail);
    }
  }

  processes(): ServiceProcess[] {
    const port = Number(new URL(this.gatewayUrl).port || 80);
    const ports = systemPorts(port);
    const pids = pidsListeningOn(Object.values(ports));
    return SERVICES.flatMap((service) => {
      const pid = pids.get(ports[service.name]);
      return pid === undefined ? [] : [{ name: service.name, pid }];
    });
  }

  async cleanup(): Promise<void> {
    this.polling = false;
  }
}
