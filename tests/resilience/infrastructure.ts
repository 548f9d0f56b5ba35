/**
 * Infrastructure the resilience suite owns, so it can restart and flush it without touching the
 * machine's shared servers: a Postgres cluster (initdb in a temporary folder, run as the `postgres`
 * user when this process is root), a Redis and a NATS server with JetStream, each on a free port.
 * Data lives in one temporary folder, removed at the end.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/lib/dev-env.ts';

const PG_BIN = [
  '/usr/lib/postgresql/17/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/15/bin',
].find((dir) => existsSync(path.join(dir, 'postgres')));

/** Resolves once something accepts TCP connections on `port`. */
async function waitForPort(port: number, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`${what} did not listen on ${port} within ${timeoutMs} ms`);
}

/** Ends a child process with `signal` and waits for it (SIGKILL after `graceMs`). */
async function stopProcess(child: ChildProcess | undefined, signal: NodeJS.Signals, graceMs = 15_000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/**
 * Spawn options that run Postgres as the `postgres` user when this process is root (Postgres
 * refuses root). The server is our direct child, so our signals reach it.
 */
function asPostgres(): { uid?: number; gid?: number } {
  return process.getuid?.() === 0 ? { uid: uidOf('postgres'), gid: gidOf('postgres') } : {};
}

/** The suite's own Postgres, Redis and NATS. */
export class OwnInfrastructure {
  postgresPort = 0;
  redisPort = 0;
  natsPort = 0;
  private directory = '';
  private postgres: ChildProcess | undefined;
  private redis: ChildProcess | undefined;
  private nats: ChildProcess | undefined;

  get postgresUrl(): string {
    return `postgres://postgres@127.0.0.1:${this.postgresPort}/postgres`;
  }
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.redisPort}`;
  }
  get natsUrl(): string {
    return `nats://127.0.0.1:${this.natsPort}`;
  }

  /** Creates the data folders and starts the three servers. */
  async start(): Promise<void> {
    if (!PG_BIN) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
    this.directory = await mkdtemp(path.join(tmpdir(), 'invoice-resilience-'));
    const pgData = path.join(this.directory, 'pg');
    mkdirSync(pgData);
    if (process.getuid?.() === 0) {
      chownSync(this.directory, uidOf('postgres'), gidOf('postgres'));
      chownSync(pgData, uidOf('postgres'), gidOf('postgres'));
    }
    execFileSync(path.join(PG_BIN, 'initdb'), ['-D', pgData, '-U', 'postgres', '--auth=trust', '--no-sync'], {
      stdio: 'ignore',
      ...asPostgres(),
    });
    [this.postgresPort, this.redisPort, this.natsPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    await this.startPostgres();
    await this.startRedis();
    await this.startNats();
  }

  /** Starts (or starts again) Postgres on its port, with the data already there. */
  async startPostgres(): Promise<void> {
    const pgData = path.join(this.directory, 'pg');
    this.postgres = spawn(
      path.join(PG_BIN as string, 'postgres'),
      [
        '-D',
        pgData,
        '-p',
        String(this.postgresPort),
        '-k',
        pgData,
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=300',
      ],
      { stdio: 'ignore', ...asPostgres() },
    );
    await waitForPort(this.postgresPort, 'Postgres');
    // Accepting connections before recovery ends: wait until a query works.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        execFileSync(
          'psql',
          ['-h', '127.0.0.1', '-p', String(this.postgresPort), '-U', 'postgres', '-Atc', 'select 1'],
          {
            stdio: 'ignore',
          },
        );
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error('Postgres did not answer queries');
  }

  /** Stops Postgres (fast shutdown: open transactions roll back). */
  async stopPostgres(): Promise<void> {
    await stopProcess(this.postgres, 'SIGINT');
    this.postgres = undefined;
  }

  async startRedis(): Promise<void> {
    this.redis = spawn(
      'redis-server',
      ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitForPort(this.redisPort, 'Redis');
  }

  /** FLUSHALL: every queue, job and rate-limit counter gone at once. */
  flushRedis(): void {
    execFileSync('redis-cli', ['-p', String(this.redisPort), 'flushall'], { stdio: 'ignore' });
  }

  async startNats(): Promise<void> {
    const store = path.join(this.directory, 'nats');
    this.nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(this.natsPort), '-js', '-sd', store], {
      stdio: 'ignore',
    });
    await waitForPort(this.natsPort, 'NATS');
  }

  /** Stops NATS; its JetStream store stays for the next start. */
  async stopNats(): Promise<void> {
    await stopProcess(this.nats, 'SIGTERM');
    this.nats = undefined;
  }

  /** Stops every server and removes the data. */
  async stop(): Promise<void> {
    await Promise.all([
      stopProcess(this.postgres, 'SIGINT'),
      stopProcess(this.redis, 'SIGTERM'),
      stopProcess(this.nats, 'SIGTERM'),
    ]);
    if (this.directory) await rm(this.directory, { recursive: true, force: true });
  }
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user]).toString().trim());
}
function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user]).toString().trim());
}
