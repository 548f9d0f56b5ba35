/**
 * A quick load test of the request path through the gateway (not part of `npm test`): starts the
 * system as `npm start` does (its own script, every service its own process) on a database,
 * namespace, S3 bucket, SMTP sink and ports of its own, with `LOG_LEVEL=info` and the gateway's
 * per-IP limit raised; signs up, verifies and logs in; then `POST /v1/clients` with `LOAD_IN_FLIGHT`
 * (16) requests in flight for `LOAD_SECONDS` (10). Prints requests/s, latency percentiles, the CPU
 * each process spent per request and the bytes the launcher printed per request, then stops
 * everything. Traffic goes only to 127.0.0.1.
 *
 *   npm exec -- tsx scripts/load-clients.ts            (START_MODE=dev to run the services from source)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { gatewayApi, prepareSystem, startScript, stopScript } from '../tests/system/support/system.ts';

const inFlight = Number(process.env.LOAD_IN_FLIGHT ?? 16);
const seconds = Number(process.env.LOAD_SECONDS ?? 10);

const system = await prepareSystem();
system.env.LOG_LEVEL = process.env.LOAD_LOG_LEVEL ?? 'info';
system.env.RATE_LIMIT_PER_MINUTE = '100000000';
const launched = performance.now();
const script = startScript(system, { quiet: true });
try {
  await script.waitForLine(/^Invoice platform is running\.$/, 180_000);
  const startSeconds = (performance.now() - launched) / 1000;
  const api = gatewayApi(system.gatewayUrl);
  const email = `load-${system.namespace}@example.test`;
  const password = 'correct horse battery staple';
  const signup = await api('POST', '/v1/auth/signup', {
    organizationName: 'Load AG',
    name: 'Load',
    email,
    password,
  });
  if (signup.status !== 201) throw new Error(`sign-up: ${signup.status}`);
  const mail = await system.smtp.waitForMail((m) => m.envelopeTo.includes(email));
  const verificationToken = /token=([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')?.[1];
  await api('POST', '/v1/auth/verify-email', { token: verificationToken });
  const login = await api('POST', '/v1/auth/login', { email, password });
  const token = login.json.accessToken as string;
  if (!token) throw new Error(`login: ${login.status}`);

  const agent = new http.Agent({ keepAlive: true, maxSockets: inFlight });
  const url = new URL('/v1/clients', system.gatewayUrl);
  let sequence = 0;
  const post = () =>
    new Promise<number>((resolve, reject) => {
      const body = JSON.stringify({ name: `Client ${++sequence}`, email: `c${sequence}@load.test` });
      const request = http.request(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', reject);
      request.end(body);
    });

  // Warm up (JIT, pools), then measure.
  for (let i = 0; i < 200; i++) await post();
  const pids = processTree(script.process.pid!);
  const cpuBefore = new Map(pids.map((p) => [p.pid, cpuMs(p.pid)]));
  const bytesBefore = script.bytes();
  const closedBefore = closedConnections(Object.values(system.ports));
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const status = await post();
        latencies.push(performance.now() - t0);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const count = latencies.length;
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(count - 1, Math.floor(q * count))]!.toFixed(1);
  console.log(
    `POST /v1/clients, ${inFlight} in flight, ${elapsed.toFixed(1)} s: ${count} requests, ` +
      `${(count / elapsed).toFixed(0)} req/s; p50 ${pct(0.5)} ms, p90 ${pct(0.9)} ms, p99 ${pct(0.99)} ms; ` +
      `statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  console.log(`  npm start to banner: ${startSeconds.toFixed(1)} s`);
  let total = 0;
  let totalRss = 0;
  for (const p of pids) {
    const spent = cpuMs(p.pid) - (cpuBefore.get(p.pid) ?? 0);
    const rss = rssMb(p.pid);
    total += spent;
    totalRss += rss;
    console.log(
      `  ${p.name.padEnd(18)} ${(spent / count).toFixed(2).padStart(6)} ms CPU per request, RSS ${rss.toFixed(0)} MB`,
    );
  }
  console.log(
    `  ${'all processes'.padEnd(18)} ${(total / count).toFixed(2).padStart(6)} ms CPU per request, RSS ${totalRss.toFixed(0)} MB`,
  );
  console.log(`  launcher output: ${((script.bytes() - bytesBefore) / count).toFixed(0)} bytes per request`);
  const closed = closedConnections(Object.values(system.ports)) - closedBefore;
  console.log(`  TCP connections to the services closed during the run (TIME-WAIT): ${closed}`);
  if (process.env.LOAD_SHOW_LINES)
    console.log(script.lines.slice(-Number(process.env.LOAD_SHOW_LINES)).join('\n'));
  agent.destroy();
} finally {
  await stopScript(script);
  await system.cleanup();
}

/** The processes under `root` (itself included), named by their service. */
function processTree(root: number): { pid: number; name: string }[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => {
      const [pid, ppid, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
    });
  const tree = new Set([root]);
  for (let grew = true; grew;) {
    grew = false;
    for (const row of rows)
      if (tree.has(row.ppid) && !tree.has(row.pid)) {
        tree.add(row.pid);
        grew = true;
      }
  }
  const nameOf = (row: { pid: number; ppid: number; args: string }): string => {
    if (row.args.includes('esbuild')) {
      const parent = rows.find((r) => r.pid === row.ppid);
      return `esbuild<${parent ? nameOf(parent) : '?'}>`;
    }
    return /services\/(\w+)\/|dist\/(\w+)\//.exec(row.args)?.slice(1).find(Boolean) ?? 'launcher';
  };
  return rows.filter((row) => tree.has(row.pid)).map((row) => ({ pid: row.pid, name: nameOf(row) }));
}

/** How many TCP connections to or from `ports` on this machine are in TIME-WAIT now. */
function closedConnections(ports: number[]): number {
  const wanted = new Set(ports.map(String));
  return execFileSync('ss', ['-Htan', 'state', 'time-wait'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.split(/\s+/).some((field) => wanted.has(field.split(':').pop() ?? ''))).length;
}

/** Resident memory of a process now, in MB. */
function rssMb(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** User + system CPU time of a process so far, in ms. */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
