/**
 * `npm run bench`: the throughput benchmarks of issue 7 (P1, P2, P4 and the per-process budgets),
 * each beside its ceiling measured in the same run, on a system started as `npm start` starts it
 * (or a running one, `--url`). Writes `bench/results/<date>.json` and the results table of
 * `bench/README.md`. Bounded in time (`--timeout-minutes`); traffic only to this machine; every
 * process it starts is stopped at the end, on Ctrl+C and on the timeout.
 *
 *   npm run bench                                  full run (~15 minutes on 2 busy cores)
 *   npm run bench -- --only P1 --seconds 10        one scenario, shortened
 *   npm run bench -- --help                        every option
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import * as prettier from 'prettier';
import { Redis } from 'ioredis';
import { connect } from '@nats-io/transport-node';
import { RSS_LIMIT_MB } from './lib/budget.ts';
import { machineInfo } from './lib/procfs.ts';
import { IsolatedSystem, RunningSystem, type SystemUnderTest } from './lib/system.ts';
import { renderReadme, evaluateTargets, type BenchResults } from './report.ts';
import { runP1 } from './scenarios/p1.ts';
import { runP2 } from './scenarios/p2.ts';
import { runP4 } from './scenarios/p4.ts';

const HELP = `npm run bench -- [options]

  --only P1,P2,P4         scenarios to run (default: all)
  --seconds N             duration of P1 and P2 (default: P1 30, P2 60); shortens warm-ups,
                          ceilings and the drain too
  --rate N                P2 arrivals per second (default 40)
  --concurrency A,B,...   P1 in-flight levels, the first is the headline (default 16,8,32)
  --invoices N            P4 invoices in the organization (default 1000000)
  --requests N            P4 requests per case and page (default 200)
  --url URL               use a running system (gateway URL) instead of starting one; then also
                          --database-url, --namespace, --queue-prefix, --s3-endpoint,
                          --s3-bucket, --maildev-url describe it (defaults: npm start's)
  --log-level LEVEL       LOG_LEVEL of the services (default: npm start's)
  --out FILE              results file (default bench/results/<date>.json; <date>-partial.json
                          for a run with --only or changed durations)
  --readme / --no-readme  rewrite bench/README.md's results (default: only for a full run)
  --keep                  keep the invoice_bench database afterwards
  --timeout-minutes N     stop everything after N minutes (default 30)
`;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string' },
    rate: { type: 'string' },
    concurrency: { type: 'string' },
    invoices: { type: 'string' },
    requests: { type: 'string' },
    url: { type: 'string' },
    'database-url': { type: 'string' },
    'nats-url': { type: 'string' },
    'redis-url': { type: 'string' },
    namespace: { type: 'string' },
    'queue-prefix': { type: 'string' },
    's3-endpoint': { type: 'string' },
    's3-bucket': { type: 'string' },
    'maildev-url': { type: 'string' },
    'log-level': { type: 'string' },
    out: { type: 'string' },
    readme: { type: 'boolean' },
    'no-readme': { type: 'boolean' },
    keep: { type: 'boolean' },
    'timeout-minutes': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`--${name} must be a positive number, not "${text}"`);
    process.exit(2);
  }
  return value;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const only = new Set(
  (args.only ?? 'P1,P2,P4')
    .toUpperCase()
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
for (const name of only) {
  if (!['P1', 'P2', 'P4'].includes(name)) {
    console.error(`--only: unknown scenario ${name} (P1, P2, P4)`);
    process.exit(2);
  }
}
const seconds = args.seconds === undefined ? undefined : positive('seconds', args.seconds, 0);
const short = (full: number, fraction: number, min: number) =>
  seconds === undefined ? full : Math.max(min, Math.round(seconds * fraction));
const concurrency = (args.concurrency ?? '16,8,32').split(',').map((c) => positive('concurrency', c, 16));
const options = {
  p1: {
    seconds: seconds ?? 30,
    concurrency,
    warmupSeconds: short(5, 0.25, 2),
    ceilingSeconds: short(15, 0.5, 3),
  },
  p2: {
    rate: positive('rate', args.rate, 40),
    seconds: seconds ?? 60,
    warmupSeconds: short(5, 0.25, 2),
    drainSeconds: short(60, 1, 20),
    ceilingSeconds: short(10, 0.5, 3),
  },
  p4: {
    invoices: Math.round(positive('invoices', args.invoices, 1_000_000)),
    requests: Math.round(positive('requests', args.requests, 200)),
    caseBudgetMs: 15_000,
  },
};
const partial =
  only.size < 3 ||
  [args.seconds, args.rate, args.concurrency, args.invoices, args.requests].some((v) => v !== undefined);
const writeReadme = args['no-readme'] ? false : (args.readme ?? !partial);
const date = new Date().toISOString().slice(0, 10);
const out = path.resolve(
  args.out ?? path.join(ROOT, 'bench', 'results', `${date}${partial ? '-partial' : ''}.json`),
);

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

const system: IsolatedSystem | RunningSystem = args.url
  ? new RunningSystem({
      url: args.url,
      databaseUrl: args['database-url'] ?? 'postgres://postgres@127.0.0.1:5432/invoice',
      natsUrl: args['nats-url'] ?? process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      redisUrl: args['redis-url'] ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      namespace: args.namespace ?? '',
      queuePrefix: args['queue-prefix'] ?? 'bull',
      s3Endpoint: args['s3-endpoint'] ?? 'http://127.0.0.1:4569',
      s3Bucket: args['s3-bucket'] ?? 'invoice-documents',
      maildevUrl: args['maildev-url'] ?? 'http://127.0.0.1:1080',
    })
  : new IsolatedSystem({
      postgresUrl: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
      natsUrl: process.env.NATS_URL ?? 'nats://127.0.0.1:4222',
      redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      logLevel: args['log-level'],
      keep: args.keep ?? false,
    });

// One cleanup, whatever ends the run: completion, an error, a signal or the timeout.
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    log('stopping every process the bench started');
    await system.cleanup().catch((error: unknown) => console.error(`cleanup: ${String(error)}`));
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void cleanup().then(() => process.exit(130)));
}
const timeoutMinutes = positive('timeout-minutes', args['timeout-minutes'], 30);
const timer = setTimeout(() => {
  console.error(`bench: timed out after ${timeoutMinutes} minutes`);
  void cleanup().then(() => process.exit(1));
}, timeoutMinutes * 60_000);
timer.unref();

async function versions(target: SystemUnderTest) {
  const postgresUrl = new URL(target.databaseUrl);
  postgresUrl.pathname = '/postgres';
  const db = new pg.Client({ connectionString: postgresUrl.toString() });
  await db.connect();
  const postgres = (await db.query('show server_version')).rows[0].server_version as string;
  await db.end();
  const nc = await connect({ servers: target.natsUrl });
  const nats = nc.info?.version ?? 'unknown';
  await nc.close();
  const redis = new Redis(target.redisUrl, { maxRetriesPerRequest: 1 });
  const info = await redis.info('server');
  redis.disconnect();
  return { postgres, nats, redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
}

function git() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .split('\n')
      .filter(Boolean).length;
    return { commit, changedFiles: dirty };
  } catch {
    return { commit: 'unknown', changedFiles: 0 };
  }
}

const results: BenchResults = {
  date,
  startedAt: new Date().toISOString(),
  finishedAt: '',
  partial,
  options: { only: [...only], ...options },
  system: args.url
    ? `running system at ${args.url}`
    : 'isolated, started by the bench as npm start starts it',
  machine: { ...machineInfo(), postgres: '', nats: '', redis: '' },
  machineAfter: { loadAverage: [] },
  git: git(),
  rssLimitMb: RSS_LIMIT_MB,
  scenarios: {},
  errors: {},
  targets: [],
};

let failed = false;
try {
  await system.prepare();
  Object.assign(results.machine, await versions(system));
  log(
    `machine: ${results.machine.cpuModel}, ${results.machine.cores} cores, ${results.machine.ramGb} GB, ` +
      `Node ${results.machine.node}, Postgres ${results.machine.postgres}, load ${results.machine.loadAverage.join(' ')}`,
  );
  const stopServices = async () => {
    if (system instanceof IsolatedSystem) {
      const exited = system.exited();
      if (exited.length > 0)
        throw new Error(`process(es) exited during the run: ${exited.join(', ')}\n${system.lastLines()}`);
      await system.stopServices();
    }
  };
  // A scenario that fails is reported and the next one still runs (on a fresh system).
  const scenarios = [
    ['P1', () => runP1(system, { ...options.p1, log })],
    ['P2', () => runP2(system, { ...options.p2, log })],
    ['P4', () => runP4(system, { ...options.p4, log })],
  ] as const;
  for (const [name, run] of scenarios) {
    if (!only.has(name)) continue;
    try {
      (results.scenarios as Record<string, unknown>)[name] = await run();
      await stopServices();
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      results.errors[name] = message.split('\n')[0] ?? message;
      console.error(`${name} failed: ${message}`);
      if (system instanceof IsolatedSystem) {
        console.error(system.lastLines());
        await system.stopServices();
      }
    }
  }
} catch (error) {
  failed = true;
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  if (system instanceof IsolatedSystem) console.error(system.lastLines());
} finally {
  await cleanup();
}

results.finishedAt = new Date().toISOString();
results.machineAfter.loadAverage = machineInfo().loadAverage;
results.targets = evaluateTargets(results);
if (Object.keys(results.scenarios).length > 0) {
  mkdirSync(path.dirname(out), { recursive: true });
  // Formatted as `npm run lint` (prettier --check) wants it.
  const json = JSON.stringify(results, null, 2);
  const config = (await prettier.resolveConfig(out)) ?? {};
  writeFileSync(out, await prettier.format(json, { ...config, filepath: out }));
  log(`results: ${path.relative(ROOT, out)}`);
  if (writeReadme) {
    const readme = path.join(ROOT, 'bench', 'README.md');
    writeFileSync(
      readme,
      renderReadme(readFileSync(readme, 'utf8'), results, path.relative(path.dirname(readme), out)),
    );
    log('results table: bench/README.md');
  }
  for (const target of results.targets) {
    log(
      `${target.pass ? 'PASS' : 'FAIL'}  ${target.id}  ${target.what}: ${target.measured} (target ${target.target})`,
    );
  }
}
process.exit(failed ? 1 : 0);
