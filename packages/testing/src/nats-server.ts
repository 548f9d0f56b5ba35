/**
 * A nats-server of the project's own, started from the generated, committed configuration
 * (deploy/nats/nats-server.conf: one user per service and the read-only `subscriber`), on a port of
 * its own with its JetStream data in a directory of its own. `npm start` runs one under `.data/nats`;
 * the system and permission tests run one per test file, so what is tested is what is deployed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NATS_USERS, passwordVariable, renderNatsServerConfig } from '@invoice/platform-bus';
import { canConnect } from './infrastructure.ts';

/** The committed configuration every environment runs. */
export const NATS_CONFIG_FILE = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'deploy',
  'nats',
  'nats-server.conf',
);

/** A running nats-server and the credentials of its users. */
export interface NatsServer {
  url: string;
  port: number;
  /** Password of every user (service names and `subscriber`). */
  passwords: Record<string, string>;
  /** The variables that make a service connect as itself (NATS_URL, NATS_USER, NATS_PASSWORD). */
  envFor(user: string): Record<string, string>;
  stop(): Promise<void>;
}

/** Options of {@link startNatsServer}. */
export interface NatsServerOptions {
  /** Port (default: a free one). */
  port?: number;
  /** Directory of the JetStream store and the password file (default: a new temporary one, removed on stop). */
  dir?: string;
  /** Reuse the passwords in `<dir>/credentials.json` when present (npm start), else make new ones. */
  keepPasswords?: boolean;
  /** Render the configuration for a namespace instead of using the committed file. */
  namespace?: string;
}

/** The nats-server binary: NATS_SERVER_BIN, Debian's /usr/sbin/nats-server, or `nats-server` on PATH. */
export function natsServerBinary(): string {
  if (process.env.NATS_SERVER_BIN) return process.env.NATS_SERVER_BIN;
  return existsSync('/usr/sbin/nats-server') ? '/usr/sbin/nats-server' : 'nats-server';
}

/** Starts nats-server with the project's configuration; resolves once it accepts connections. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const temporary = !options.dir;
  const dir = options.dir ?? (await mkdtemp(path.join(os.tmpdir(), 'nats-')));
  await mkdir(dir, { recursive: true });
  const credentialsFile = path.join(dir, 'credentials.json');
  let passwords: Record<string, string> | undefined;
  if (options.keepPasswords) {
    passwords = await readFile(credentialsFile, 'utf8')
      .then((text) => JSON.parse(text) as Record<string, string>)
      .catch(() => undefined);
  }
  // nats-server parses a variable's value as a config value (`2026-…` would be a date), so a
  // password is a letter followed by hex digits: always a plain string.
  passwords = Object.fromEntries(
    NATS_USERS.map((user) => [
      user,
      passwords?.[user] && /^[a-z][0-9a-f]+$/.test(passwords[user])
        ? passwords[user]
        : `p${randomBytes(20).toString('hex')}`,
    ]),
  );
  await writeFile(credentialsFile, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  let configFile = NATS_CONFIG_FILE;
  if (options.namespace) {
    configFile = path.join(dir, 'nats-server.conf');
    await writeFile(configFile, renderNatsServerConfig({ namespace: options.namespace }));
  }
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    natsServerBinary(),
    ['-c', configFile, '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', path.join(dir, 'jetstream')],
    {
      env: {
        ...process.env,
        ...Object.fromEntries(Object.entries(passwords).map(([user, pw]) => [passwordVariable(user), pw])),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4_000);
  });
  const url = `nats://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (!(await canConnect(url))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`nats-server did not start on ${port}: ${errors}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const finalPasswords = passwords;
  return {
    url,
    port,
    passwords: finalPasswords,
    envFor: (user) => ({ NATS_URL: url, NATS_USER: user, NATS_PASSWORD: finalPasswords[user] ?? '' }),
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      if (temporary) await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
