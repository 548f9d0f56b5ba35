/**
 * `npm run test:resilience`: starts the whole system as `npm start` does, on infrastructure of its
 * own (a Postgres cluster, Redis and NATS it can restart and flush), and runs each scenario on a new
 * organization while steady traffic flows:
 *
 * - `crashes`: a random service is SIGKILLed every 5 s and started again;
 * - `redis-flush`: Redis loses everything (FLUSHALL) mid-run;
 * - `nats-restart`: NATS stops for 5 s mid-run (its JetStream store kept);
 * - `postgres-restart`: Postgres stops for 5 s mid-run; meanwhile a probe checks that the API
 *   answers 503 problem+json within a second (never hangs, never 500);
 * - `fuzz`: 10,000 hostile requests generated from the served OpenAPI document (see fuzz.ts);
 * - `isolation`: another organization's owner calls every id-taking operation with this one's ids
 *   (see isolation.ts).
 *
 * Then it checks what must hold (see verify.ts) and prints one row per scenario. Exit code 1 when a
 * check failed. Options: `--only <name,...>`, `--rate <flows/s>` (default 3), `--seconds <n>`
 * (default 60 for crashes, 30 for the others). Bounded: every scenario stops by itself; all traffic
 * stays on 127.0.0.1.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiClient, type ApiResult } from '../../bench/lib/http.ts';
import { connectNats, createOrganization, type Organization } from '../../bench/lib/setup.ts';
import { SERVICES, type ServiceName } from '../../scripts/lib/dev-env.ts';
import { OwnInfrastructure } from './infrastructure.ts';
import { ResilienceSystem } from './system.ts';
import { fuzz } from './fuzz.ts';
import { isolationMatrix, type ResourceIds } from './isolation.ts';
import { record, runTraffic, type TrafficStats } from './traffic.ts';
import { failures, verify, type Verdict } from './verify.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    rate: { type: 'string', default: '3' },
    seconds: { type: 'string' },
    'fuzz-requests': { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20261202' },
  },
});
const rate = Number(values.rate);

interface Outcome {
  name: string;
  what: string;
  stats: TrafficStats;
  verdict: Verdict;
  problems: string[];
}

/** A scenario: what it does to the system while `traffic` runs (the owner's access token at hand). */
type Scenario = (
  system: ResilienceSystem,
  traffic: () => Promise<TrafficStats>,
  token: string,
  org: Organization,
) => Promise<{
  what: string;
  stats: TrafficStats;
  problems?: string[];
}>;

/** The suite's NATS connection (verification tokens of the organizations it signs up). */
let nc: Awaited<ReturnType<typeof connectNats>> | undefined;

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const SCENARIOS: Record<string, { seconds: number; run: Scenario }> = {
  isolation: {
    seconds: 1,
    async run(system, traffic, _token, org) {
      const stats = await traffic(); // one invoice: created, issued, sent
      const invoiceId = stats.flows[0]?.invoiceId as string;
      const ids: ResourceIds = { invoices: invoiceId, clients: org.clientIds[0] as string };
      const readBack = [`/v1/invoices/${invoiceId}`, `/v1/clients/${ids.clients}`];
      // One resource of every other kind, where the API has it (what fails to be made is not covered).
      const make = async (kind: string, path: string, body: unknown, read?: string) => {
        const made = await org.api.request('POST', path, body, 10_000, {
          'idempotency-key': `make-${kind}-${Date.now()}`,
        });
        const id = made.status < 300 ? ((made.json as { id?: string })?.id ?? undefined) : undefined;
        if (id) {
          ids[kind] = id;
          readBack.push(read?.replace('{id}', id) ?? `${path}/${id}`);
        } else {
          log(`  no ${kind} to check: ${made.status} ${JSON.stringify(made.json).slice(0, 200)}`);
        }
      };
      await make('products', '/v1/products', {
        name: 'Isolated product',
        unitPrice: '10.00',
        currency: 'EUR',
      });
      await make('categories', '/v1/categories', { name: 'Isolated category' });
      await make(
        'credit-notes',
        `/v1/invoices/${invoiceId}/credit-notes`,
        { reason: 'isolation' },
        '/v1/credit-notes/{id}',
      );
      await make(
        'invitations',
        '/v1/invitations',
        { email: `invitee-${Date.now()}@example.test` },
        '/v1/invitations',
      );
      await make('api-keys', '/v1/api-keys', { name: 'isolation', readOnly: true }, '/v1/api-keys');
      const firstOf = async (kind: string, path: string, read?: string) => {
        const list = await org.api.request('GET', path);
        const items = (list.json as { items?: { id: string }[] } | undefined)?.items;
        if (items?.[0]) {
          ids[kind] = items[0].id;
          readBack.push(read ?? `${path.split('?')[0]}/${items[0].id}`);
        } else {
          log(`  no ${kind} to check: ${list.status}`);
        }
      };
      // The flow paid its invoice in full: that payment is the one B tries to touch.
      await firstOf('payments', `/v1/invoices/${invoiceId}/payments`, `/v1/invoices/${invoiceId}/payments`);
      await firstOf('emails', '/v1/emails');
      // Document ids are not listed by the API (the PDF route redirects): read one from the database.
      const db = new pg.Client({ connectionString: system.databaseUrl });
      await db.connect();
      const document = await db.query<{ id: string }>(
        'select id from document.documents where org_id = $1 limit 1',
        [org.orgId],
      );
      await db.end();
      if (document.rows[0]) {
        ids.documents = document.rows[0].id;
        readBack.push(`/v1/documents/${document.rows[0].id}`);
      }
      await firstOf('members', '/v1/members');
      const other = await createOrganization({ gatewayUrl: system.gatewayUrl, namespace: '' }, nc!, {
        clients: 0,
        maxSockets: 8,
        name: 'Resilience isolation B',
      });
      const result = await isolationMatrix(system.gatewayUrl, org.api, other.api, ids, readBack);
      other.api.close();
      const answers = [...result.statuses].map(([status, count]) => `${status} ×${count}`).join(', ');
      return {
        what: `${result.calls} calls of B with A's ids (${Object.keys(ids).length} resource kinds): ${answers}; not covered: ${result.notCovered.join(', ') || 'none'}`,
        stats,
        problems: result.findings,
      };
    },
  },
  fuzz: {
    seconds: 0,
    async run(system, _traffic, token) {
      const total = Number(values['fuzz-requests']);
      const seed = Number(values.seed);
      const result = await fuzz(system.gatewayUrl, token, { total, seed });
      const answers = [...result.statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status} ×${count}`)
        .join(', ');
      const stats: TrafficStats = { flows: [], statuses: result.statuses, findings: [], retries: 0 };
      return {
        what: `${result.requests} generated requests (seed ${seed}); slowest ${Math.round(result.slowest)} ms; ${answers}`,
        stats,
        problems: result.findings,
      };
    },
  },
  crashes: {
    seconds: 60,
    async run(system, traffic) {
      let stopped = false;
      const killer = (async () => {
        while (!stopped) {
          await sleep(5_000);
          if (stopped) break;
          const victim = SERVICES[Math.floor(Math.random() * SERVICES.length)]?.name as ServiceName;
          log(`  SIGKILL ${victim}, started again`);
          await system.killAndRestart(victim);
        }
      })();
      const stats = await traffic();
      stopped = true;
      await killer;
      await system.waitReady();
      const kills = [...system.kills].map(([name, count]) => `${name} ×${count}`).join(', ');
      return { what: `${[...system.kills.values()].reduce((a, b) => a + b, 0)} kills (${kills})`, stats };
    },
  },
  'redis-flush': {
    seconds: 30,
    async run(system, traffic) {
      const flush = (async () => {
        await sleep(10_000);
        log('  Redis FLUSHALL');
        system.infra.flushRedis();
      })();
      const stats = await traffic();
      await flush;
      return { what: 'FLUSHALL at 10 s', stats };
    },
  },
  'nats-restart': {
    seconds: 30,
    async run(system, traffic) {
      const restart = (async () => {
        await sleep(10_000);
        log('  NATS stopped');
        await system.infra.stopNats();
        await sleep(5_000);
        await system.infra.startNats();
        log('  NATS started again');
      })();
      const stats = await traffic();
      await restart;
      return { what: 'NATS down 5 s at 10 s', stats };
    },
  },
  'postgres-restart': {
    seconds: 30,
    async run(system, traffic, token) {
      const probe = { statuses: new Map<number, number>(), findings: [] as string[], slow: 0, tries: 0 };
      const restart = (async () => {
        await sleep(10_000);
        log('  Postgres stopped');
        await system.infra.stopPostgres();
        const api = new ApiClient(system.gatewayUrl, 4);
        api.token = token;
        const until = Date.now() + 5_000;
        while (Date.now() < until) {
          const started = Date.now();
          let result: ApiResult;
          try {
            result = await api.request('GET', '/v1/invoices?limit=1', undefined, 5_000);
          } catch (error) {
            result = { status: 0, json: { error: String(error) }, ms: 0, at: 0 };
          }
          probe.tries += 1;
          if (Date.now() - started > 1_000) probe.slow += 1;
          record(probe, 'GET', '/v1/invoices (Postgres down)', result);
          await sleep(200);
        }
        api.close();
        await system.infra.startPostgres();
        log('  Postgres started again');
      })();
      const stats = await traffic();
      await restart;
      const answers = [...probe.statuses].map(([status, count]) => `${status} ×${count}`).join(', ');
      const problems = [...probe.findings];
      if (probe.slow > 0)
        problems.push(`${probe.slow} of ${probe.tries} probes took over 1 s while Postgres was down`);
      if ((probe.statuses.get(503) ?? 0) === 0) problems.push('no 503 while Postgres was down');
      return { what: `Postgres down 5 s at 10 s; probes: ${answers}`, stats, problems };
    },
  },
};

async function main(): Promise<number> {
  const names = values.only ? values.only.split(',') : Object.keys(SCENARIOS);
  for (const name of names) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}`);
  const infra = new OwnInfrastructure();
  const system = new ResilienceSystem(infra);
  const outcomes: Outcome[] = [];
  const stop = async () => {
    await system.stop().catch(() => undefined);
    await infra.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    log('starting Postgres, Redis and NATS of its own');
    await infra.start();
    log('starting the system (npm run build, every service as its own process)');
    await system.start();
    nc = await connectNats({ natsUrl: infra.natsUrl });
    for (const name of names) {
      const scenario = SCENARIOS[name] as (typeof SCENARIOS)[string];
      const seconds = values.seconds ? Number(values.seconds) : scenario.seconds;
      log(`${name}: ${rate} flows/s (client + product + draft + issue + send + payment) for ${seconds} s`);
      const sellerName = `Resilience ${name}`;
      const org = await createOrganization({ gatewayUrl: system.gatewayUrl, namespace: '' }, nc, {
        clients: 1,
        maxSockets: 64,
        name: sellerName,
      });
      const result = await scenario.run(
        system,
        () => runTraffic(org.api, org.clientIds[0] as string, { rate, seconds }),
        org.api.token as string,
        org,
      );
      log(`${name}: traffic done; draining and checking`);
      const verdict = await verify(system, { orgId: org.orgId, sellerName }, result.stats.flows);
      const problems = [
        ...failures(verdict, result.stats.flows),
        ...(result.problems ?? []),
        ...result.stats.findings,
      ];
      outcomes.push({ name, what: result.what, stats: result.stats, verdict, problems });
      org.api.close();
      log(`${name}: ${problems.length === 0 ? 'PASS' : `FAIL\n    ${problems.slice(0, 20).join('\n    ')}`}`);
    }
    await nc.close();
    nc = undefined;
  } finally {
    await stop();
  }
  printTable(outcomes);
  return outcomes.every((outcome) => outcome.problems.length === 0) ? 0 : 1;
}

function printTable(outcomes: Outcome[]): void {
  console.log(
    '\n| scenario | what happened | flows | issued / numbered / gaps | PDFs (missing, extra, corrupt) | emails expected / at SMTP (missing, duplicated) | clients + products created / rows | paid / paid once | left pending | 500s | 502/503/504 while something was down | retries | drain | result |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { name, what, stats, verdict: v, problems } of outcomes) {
    const count = (wanted: (status: number) => boolean) =>
      [...stats.statuses].filter(([status]) => wanted(status)).reduce((sum, [, n]) => sum + n, 0);
    const internal = count((status) => status === 500);
    const unavailable = count((status) => status >= 502 && status <= 504);
    console.log(
      `| ${name} | ${what} | ${stats.flows.length} | ${v.issued} / ${v.numbered} / ${v.gaps} | ${v.pdfs} (${v.pdfsMissing}, ${v.pdfsDuplicated}, ${v.pdfsCorrupt}) | ${v.emailsExpected} / ${v.emails} (${v.emailsMissing}, ${v.emailsDuplicated}) | ${v.catalogWritesExpected} / ${v.catalogRows} | ${v.paidExpected} / ${v.paidOnce} | ${v.outboxPending + v.documentsPending + v.emailsPending} | ${internal} | ${unavailable} | ${stats.retries} | ${v.drainSeconds.toFixed(1)} s | ${problems.length === 0 ? 'pass' : 'FAIL'} |`,
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
