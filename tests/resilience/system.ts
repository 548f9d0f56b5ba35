/**
 * The whole system as `npm start` runs it (every service its own `node dist/<service>/main.js`,
 * ROLE=all), on the suite's own infrastructure, with s3rver over a temporary folder and an SMTP
 * sink that records every accepted message. Any service can be killed (SIGKILL) and started again
 * on the same port with the same environment.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ensureBuilt,
  ensureDatabase,
  freeGatewayPort,
  freePort,
  SERVICES,
  spawnService,
  startEmbeddedS3,
  stopChildren,
  systemPorts,
  systemUrls,
  waitUntilReady,
  type ServiceName,
} from '../../scripts/lib/dev-env.ts';
import { startBenchSmtpSink, type BenchSmtpSink } from '../../bench/lib/smtp-sink.ts';
import type { OwnInfrastructure } from './infrastructure.ts';

/** The running system. */
export class ResilienceSystem {
  readonly infra: OwnInfrastructure;
  gatewayUrl = '';
  databaseUrl = '';
  readonly s3 = {
    endpoint: '',
    bucket: 'invoice-resilience',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  };
  mail!: BenchSmtpSink;
  private ports!: Record<ServiceName, number>;
  private env: Record<string, string> = {};
  private readonly children = new Map<ServiceName, ChildProcess>();
  private stops: (() => Promise<void>)[] = [];
  private directory = '';
  /** How many times each service was killed. */
  readonly kills = new Map<ServiceName, number>();

  constructor(infra: OwnInfrastructure) {
    this.infra = infra;
  }

  /** Builds, creates the database, starts S3, the SMTP sink and every service; resolves when ready. */
  async start(): Promise<void> {
    await ensureBuilt();
    const url = new URL(this.infra.postgresUrl);
    url.pathname = '/invoice';
    this.databaseUrl = url.toString();
    await ensureDatabase(this.databaseUrl);
    this.directory = await mkdtemp(path.join(tmpdir(), 'invoice-resilience-s3-'));
    const s3 = await startEmbeddedS3(await freePort(), path.join(this.directory, 's3'));
    this.stops.push(s3.stop);
    this.s3.endpoint = s3.endpoint;
    this.mail = await startBenchSmtpSink();
    this.stops.push(() => this.mail.stop());
    this.ports = systemPorts(await freeGatewayPort());
    this.gatewayUrl = `http://127.0.0.1:${this.ports.gateway}`;
    this.env = {
      DATABASE_URL: this.databaseUrl,
      NATS_URL: this.infra.natsUrl,
      REDIS_URL: this.infra.redisUrl,
      HOST: '127.0.0.1',
      ...systemUrls(this.ports),
      APP_URL: this.gatewayUrl,
      S3_ENDPOINT: this.s3.endpoint,
      S3_BUCKET: this.s3.bucket,
      S3_ACCESS_KEY_ID: this.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: this.s3.secretAccessKey,
      SMTP_HOST: this.mail.host,
      SMTP_PORT: String(this.mail.port),
      RATE_LIMIT_PER_MINUTE: '100000000',
      AUTH_RATE_LIMIT_PER_MINUTE: '100000',
      ACCESS_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      ROLE: 'all',
    };
    for (const { name } of SERVICES) this.spawn(name);
    await waitUntilReady(this.ports, [...this.children.values()], 180_000);
  }

  private spawn(name: ServiceName): ChildProcess {
    const child = spawnService(
      name,
      { ...this.env, PORT: String(this.ports[name]) },
      { mode: 'dist', output: process.env.RESILIENCE_LOGS ? 'prefix' : 'ignore' },
    );
    this.children.set(name, child);
    return child;
  }

  /** SIGKILLs one service and starts it again at once (same port, same environment). */
  async killAndRestart(name: ServiceName): Promise<void> {
    const child = this.children.get(name);
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
    this.kills.set(name, (this.kills.get(name) ?? 0) + 1);
    this.spawn(name);
  }

  /** Waits until the gateway says the whole system is ready again. */
  async waitReady(timeoutMs = 120_000): Promise<void> {
    await waitUntilReady(this.ports, [...this.children.values()], timeoutMs);
  }

  /** Services that exited on their own (not killed by the suite and not restarted). */
  exited(): ServiceName[] {
    return [...this.children]
      .filter(([, child]) => child.exitCode !== null || child.signalCode !== null)
      .map(([name]) => name);
  }

  async stop(): Promise<void> {
    await stopChildren([...this.children.values()], 15_000);
    this.children.clear();
    for (const stop of this.stops.reverse()) await stop().catch(() => undefined);
    this.stops = [];
    if (this.directory) await rm(this.directory, { recursive: true, force: true });
  }
}
