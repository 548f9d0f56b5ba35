import { execFileSync } from 'node:child_process';
import net from 'node:net';

/** URLs of the shared servers the tests use. */
export interface Infrastructure {
  databaseUrl: string;
  natsUrl: string;
  redisUrl: string;
}

let cached: Promise<Infrastructure> | undefined;

/**
 * The servers for this test run: the URLs in TEST_DATABASE_URL / NATS_URL / REDIS_URL (defaults:
 * the local servers on their standard ports); when those are unreachable and Docker exists,
 * containers started with testcontainers.
 */
export function infrastructure(): Promise<Infrastructure> {
  cached ??= resolve();
  return cached;
}

async function resolve(): Promise<Infrastructure> {
  const given: Infrastructure = {
    databaseUrl: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  };
  const reachable = await Promise.all([given.databaseUrl, given.natsUrl, given.redisUrl].map(canConnect));
  if (reachable.every(Boolean)) return given;
  if (!hasDocker()) {
    const names = ['Postgres', 'NATS', 'Redis'].filter((_, i) => !reachable[i]);
    throw new Error(
      `${names.join(', ')} not reachable and no Docker to start them; set TEST_DATABASE_URL, NATS_URL, REDIS_URL`,
    );
  }
  return startContainers(given, reachable);
}

async function startContainers(given: Infrastructure, reachable: boolean[]): Promise<Infrastructure> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const result = { ...given };
  if (!reachable[0]) {
    const pg = await new GenericContainer('postgres:15')
      .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
      .withExposedPorts(5432)
      .withWaitStrategy(Wait.forLogMessage(/ready to accept connections/, 2))
      .start();
    result.databaseUrl = `postgres://postgres@${pg.getHost()}:${pg.getMappedPort(5432)}/postgres`;
  }
  if (!reachable[1]) {
    const nats = await new GenericContainer('nats:2.10').withCommand(['-js']).withExposedPorts(4222).start();
    result.natsUrl = `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`;
  }
  if (!reachable[2]) {
    const redis = await new GenericContainer('redis:7').withExposedPorts(6379).start();
    result.redisUrl = `redis://${redis.getHost()}:${redis.getMappedPort(6379)}`;
  }
  return result;
}

function hasDocker(): boolean {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** True when a TCP connection to the URL's host and port succeeds within a second. */
export function canConnect(url: string): Promise<boolean> {
  const parsed = new URL(url);
  const port =
    Number(parsed.port) ||
    ({ 'postgres:': 5432, 'nats:': 4222, 'redis:': 6379 } as Record<string, number>)[parsed.protocol] ||
    80;
  return new Promise((resolve) => {
    const socket = net.connect({ host: parsed.hostname, port, timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
