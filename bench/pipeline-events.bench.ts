/**
 * The event pipeline under steady load (issue 7, target P2): invoicing's outbox relay → JetStream →
 * document (consumer → pending row → BullMQ → pdfkit → S3 → outbox → `document.rendered`) →
 * notification (email rows waiting for the PDF → BullMQ → SMTP).
 *
 * Runs document and notification as their own processes (`ROLE=all`, as `npm start` runs them),
 * an S3 stand-in and the SMTP sink of packages/testing in a third, and plays invoicing in this one:
 * at RATE invoices/s it commits `invoicing.invoice.issued.v1` and then
 * `invoicing.invoice.send-requested.v1` to an outbox table (each in its own transaction, as the
 * issue and send requests do) and relays them with the platform's OutboxRelay at its defaults.
 * Measures issued → document row ready (`rendered_at`), issued → `document.rendered` seen on NATS,
 * and send → accepted by SMTP, p50/p99 overall and per 10 s window, samples every backlog (outboxes,
 * JetStream consumers, BullMQ queues, pending rows) and the CPU and peak RSS of each process.
 *
 * Run: `npm exec -- tsx bench/pipeline-events.bench.ts` (RATE=40 DURATION_S=60, PROFILE=1 writes
 * `--cpu-prof` profiles of both services, LOG_LEVEL=info by default; logs and profiles go to
 * $TMPDIR/invoice-pipeline-bench/<namespace>/). The services run as `npm run build` bundles them
 * (plain JavaScript, built into node_modules/.cache/pipeline-bench/ together with the document
 * service's render-thread entry); MODE=tsx runs their TypeScript sources through tsx instead.
 * BENCH_SVC_<VAR>=value passes <VAR>=value to both services (e.g. BENCH_SVC_RENDER_THREADS=1).
 * Uses its own database, NATS namespace and BullMQ prefix, and removes them at the end.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';
import { Queue } from '@invoice/platform-queue';
import { createEnvelope, newId, Subjects, type InvoiceSendRequested } from '@invoice/contracts';
import { Bus } from '@invoice/platform-bus';
import { createOrm, inTransaction } from '@invoice/platform-db';
import { createLogger } from '@invoice/platform-logger';
import { enqueueEvent, OutboxRelay, outboxEntities, outboxTablesSql } from '@invoice/platform-outbox';
import {
  createTestDatabase,
  deleteNamespaceStreams,
  infrastructure,
  testNamespace,
} from '@invoice/platform-testing';
import type { StorageOptions } from '@invoice/platform-storage';
import { invoiceSnapshot } from '../services/document/test/support/invoice-snapshot.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RATE = Number(process.env.RATE ?? 40);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const DRAIN_S = Number(process.env.DRAIN_S ?? 60);
const PROFILE = process.env.PROFILE === '1';
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'info';
const LINES = Number(process.env.LINES ?? 20);
const MODE = process.env.MODE === 'tsx' ? 'tsx' : 'dist';
const SERVICE_ENV = Object.fromEntries(
  Object.entries(process.env)
    .filter(([key]) => key.startsWith('BENCH_SVC_'))
    .map(([k, v]) => [k.slice(10), v!]),
);

const now = () => performance.timeOrigin + performance.now();
const logger = createLogger('bench', 'warn');

interface Sample {
  invoiceId: string;
  to: string;
  issuedAt?: number;
  sentAt?: number;
  renderedEventAt?: number;
  readyAt?: number;
  smtpAt?: number;
  warmup: boolean;
}

// ---------------------------------------------------------------------------------------------- setup
const infra = await infrastructure();
const db = await createTestDatabase();
const namespace = testNamespace();
const children: ChildProcess[] = [];
// Logs and profiles of a run go to the temporary folder; the bundles under node_modules/.cache,
// from where their third-party imports resolve to the workspace's node_modules.
const runDir = path.join(tmpdir(), 'invoice-pipeline-bench', namespace);
mkdirSync(runDir, { recursive: true });
const profileDir = path.join(runDir, 'profiles');

const samples = new Map<string, Sample>();
const byRecipient = new Map<string, Sample>();

const sinks = fork(path.join(ROOT, 'bench', 'pipeline-events.sinks.ts'), [], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
children.push(sinks);
const sinkInfo = await new Promise<{ s3: StorageOptions; smtp: { host: string; port: number } }>(
  (resolve) => {
    sinks.on(
      'message',
      (message: { type: string; to?: string; at?: number; s3?: StorageOptions; smtp?: never }) => {
        if (message.type === 'ready') resolve(message as never);
        else if (message.type === 'mail' && message.to) {
          const sample = byRecipient.get(message.to);
          if (sample && sample.smtpAt === undefined) sample.smtpAt = message.at;
        }
      },
    );
  },
);

// invoicing as far as the pipeline sees it: an outbox in its schema, and the relay
const admin = new pg.Client({ connectionString: db.url });
await admin.connect();
await admin.query('create schema invoicing');
await admin.query('set search_path to invoicing');
for (const sql of outboxTablesSql()) await admin.query(sql);
await admin.query('reset search_path');
const orm = await createOrm({ url: db.url, schema: 'invoicing', entities: outboxEntities, migrations: [] });
const bus = await Bus.connect({ url: infra.natsUrl, namespace, name: 'invoicing', logger });
await bus.ensureStreams();
const relay = new OutboxRelay(orm, bus, logger);

bus.nc.subscribe(bus.subject(Subjects.DocumentRendered), {
  callback: (_error, msg) => {
    const at = now();
    const event = msg.json<{ data: { sourceId: string } }>();
    const sample = samples.get(event.data.sourceId);
    if (sample && sample.renderedEventAt === undefined) sample.renderedEventAt = at;
  },
});

const ports = { document: 18_084, notification: 18_085 };
const logPath = path.join(runDir, 'services.log');
const logFile = openSync(logPath, 'w');
const distDir = path.join(ROOT, 'node_modules', '.cache', 'pipeline-bench');
if (MODE === 'dist') await buildPipeline();

/** Bundles both services as `npm run build` does (render-thread entries included). */
async function buildPipeline(): Promise<void> {
  const { buildServices } = await import('../scripts/build.ts');
  await buildServices({ outdir: distDir, services: ['document', 'notification'] });
}

function startService(name: 'document' | 'notification'): ChildProcess {
  const child = spawn(
    process.execPath,
    [
      ...(MODE === 'tsx' ? ['--import', 'tsx'] : ['--enable-source-maps']),
      ...(PROFILE ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, name)] : []),
      MODE === 'tsx'
        ? path.join(ROOT, 'services', name, 'src', 'main.ts')
        : path.join(distDir, name, 'main.js'),
    ],
    {
      env: {
        PATH: process.env.PATH,
        ROLE: 'all',
        HOST: '127.0.0.1',
        PORT: String(ports[name]),
        LOG_LEVEL,
        DATABASE_URL: db.url,
        NATS_URL: infra.natsUrl,
        NATS_NAMESPACE: namespace,
        REDIS_URL: infra.redisUrl,
        QUEUE_PREFIX: namespace,
        AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
        S3_ENDPOINT: sinkInfo.s3.endpoint,
        S3_REGION: sinkInfo.s3.region,
        S3_BUCKET: sinkInfo.s3.bucket,
        S3_ACCESS_KEY_ID: sinkInfo.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: sinkInfo.s3.secretAccessKey,
        SMTP_HOST: sinkInfo.smtp.host,
        SMTP_PORT: String(sinkInfo.smtp.port),
        ...SERVICE_ENV,
      },
      stdio: ['ignore', logFile, logFile],
    },
  );
  children.push(child);
  return child;
}
// Document first: it creates the bucket the notification service reads from.
const documentProcess = startService('document');
await waitReady(ports.document);
const notificationProcess = startService('notification');
await waitReady(ports.notification);
relay.start();

async function waitReady(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`service on ${port} never became ready`);
}

// ---------------------------------------------------------------------------------------------- load
async function issueAndSend(warmup: boolean): Promise<void> {
  const orgId = newId();
  const invoice = invoiceSnapshot({ lineCount: LINES, number: `INV-${samples.size + 1}` });
  const to = `buyer-${invoice.id}@example.com`;
  const sample: Sample = { invoiceId: invoice.id, to, warmup };
  samples.set(invoice.id, sample);
  byRecipient.set(to, sample);
  await inTransaction(orm, (em) =>
    enqueueEvent(
      em,
      createEnvelope({
        type: Subjects.InvoiceIssued,
        source: 'invoicing',
        orgId,
        subject: invoice.id,
        data: { invoice },
      }),
    ),
  );
  sample.issuedAt = now();
  const send: InvoiceSendRequested = {
    requestId: newId(),
    invoiceId: invoice.id,
    number: invoice.number,
    documentVersion: invoice.version,
    to: [to],
    sellerName: invoice.seller.name,
    buyerName: invoice.buyer.name,
    gross: invoice.totals.gross,
    due: invoice.totals.due,
    currency: invoice.currency,
    dueDate: invoice.dueDate!,
  };
  await inTransaction(orm, (em) =>
    enqueueEvent(
      em,
      createEnvelope({
        type: Subjects.InvoiceSendRequested,
        source: 'invoicing',
        orgId,
        subject: invoice.id,
        data: send,
      }),
    ),
  );
  sample.sentAt = now();
}

async function drive(rate: number, seconds: number, warmup: boolean): Promise<void> {
  const total = Math.round(rate * seconds);
  const start = now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - now();
    if (wait > 0) await sleep(wait);
    inFlight.push(issueAndSend(warmup).catch((error: unknown) => console.error('issue failed', error)));
  }
  await Promise.all(inFlight);
}

function done(sample: Sample): boolean {
  return sample.renderedEventAt !== undefined && sample.smtpAt !== undefined;
}

async function waitDrained(predicate: (s: Sample) => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ([...samples.values()].filter(predicate).every(done)) return;
    await sleep(200);
  }
}

// ------------------------------------------------------------------------------------------- backlog
const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 1 });
const queues = ['document-render', 'notification-email'].map(
  (name) => new Queue(name, { connection: redis, prefix: namespace }),
);
const durables: [string, string][] = [
  ['INVOICING', 'document-invoice-issued'],
  ['INVOICING', 'notification-invoice-send-requested'],
  ['DOCUMENT', 'notification-document-rendered'],
];
interface Backlog {
  t: number;
  inFlightDocs: number;
  inFlightMails: number;
  outbox: Record<string, number>;
  jetstream: Record<string, number>;
  bullmq: Record<string, number>;
  rows: Record<string, number>;
}
const backlogs: Backlog[] = [];
async function sampleBacklog(t0: number): Promise<void> {
  const all = [...samples.values()].filter((s) => !s.warmup && s.issuedAt !== undefined);
  const count = (sql: string) => admin.query<{ n: string }>(sql).then((r) => Number(r.rows[0]?.n ?? 0));
  const outbox: Record<string, number> = {};
  for (const schema of ['invoicing', 'document', 'notification'])
    outbox[schema] = await count(`select count(*) as n from ${schema}.outbox where published_at is null`);
  const jetstream: Record<string, number> = {};
  for (const [stream, durable] of durables) {
    const info = await bus.jsm.consumers.info(
      `${namespace.toUpperCase()}_${stream}`,
      `${namespace}_${durable}`,
    );
    jetstream[durable] = info.num_pending + info.num_ack_pending;
  }
  const bullmq: Record<string, number> = {};
  for (const queue of queues) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    bullmq[queue.name] = Object.values(counts).reduce((a, b) => a + b, 0);
  }
  const rows = {
    pendingDocuments: await count(`select count(*) as n from document.documents where status = 'pending'`),
    unsentEmails: await count(
      `select count(*) as n from notification.emails where status in ('waiting_for_document','queued','sending')`,
    ),
  };
  backlogs.push({
    t: Math.round((now() - t0) / 1000),
    inFlightDocs: all.filter((s) => s.renderedEventAt === undefined).length,
    inFlightMails: all.filter((s) => s.smtpAt === undefined).length,
    outbox,
    jetstream,
    bullmq,
    rows,
  });
}

// ---------------------------------------------------------------------------------------------- cpu
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100;
}
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM'));
  return Math.round(Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024);
}

// ---------------------------------------------------------------------------------------------- run
console.log(
  `pipeline bench: ${RATE}/s for ${DURATION_S}s, ${LINES} lines, ${MODE}, LOG_LEVEL=${LOG_LEVEL}, namespace ${namespace}`,
);
await drive(5, 2, true);
await waitDrained((s) => s.warmup, 60_000);
const procs = { document: documentProcess, notification: notificationProcess, sinks, driver: process };
const IDLE_S = Number(process.env.IDLE_S ?? 10);
const idleBefore = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, cpuMs(p.pid!)]));
await sleep(IDLE_S * 1000);
const cpuBefore = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, cpuMs(p.pid!)]));
const t0 = now();
const sampler = setInterval(() => void sampleBacklog(t0).catch((e: unknown) => console.error(e)), 5_000);
await drive(RATE, DURATION_S, false);
clearInterval(sampler);
await sampleBacklog(t0);
const loadEnd = now();
await waitDrained((s) => !s.warmup, DRAIN_S * 1000);
await sampleBacklog(t0);
const cpuAfter = Object.fromEntries(Object.entries(procs).map(([k, p]) => [k, cpuMs(p.pid!)]));

// ------------------------------------------------------------------------------------------- report
const readyRows = await admin.query<{ source_id: string; rendered_at: Date }>(
  `select source_id, rendered_at from document.documents where status = 'ready'`,
);
for (const row of readyRows.rows) {
  const sample = samples.get(row.source_id);
  if (sample) sample.readyAt = row.rendered_at.getTime();
}
const measured = [...samples.values()].filter((s) => !s.warmup);
function pct(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN;
}
function line(label: string, pick: (s: Sample) => number | undefined, list = measured): string {
  const values = list.map(pick).filter((v): v is number => v !== undefined && !Number.isNaN(v));
  return `${label.padEnd(32)} n=${String(values.length).padStart(5)}  p50 ${pct(values, 0.5).toFixed(0).padStart(6)} ms  p90 ${pct(values, 0.9).toFixed(0).padStart(6)} ms  p99 ${pct(values, 0.99).toFixed(0).padStart(6)} ms  max ${pct(values, 1).toFixed(0).padStart(6)} ms`;
}
const issuedToReady = (s: Sample) => (s.readyAt && s.issuedAt ? s.readyAt - s.issuedAt : undefined);
const issuedToEvent = (s: Sample) =>
  s.renderedEventAt && s.issuedAt ? s.renderedEventAt - s.issuedAt : undefined;
const sendToSmtp = (s: Sample) => (s.smtpAt && s.sentAt ? s.smtpAt - s.sentAt : undefined);
console.log(`\nissued ${measured.length} in ${((loadEnd - t0) / 1000).toFixed(1)} s`);
console.log(line('issued → document ready (row)', issuedToReady));
console.log(line('issued → document.rendered seen', issuedToEvent));
console.log(line('send → accepted by SMTP', sendToSmtp));
console.log('\nper 10 s window (by issue time): issued → rendered p50/p99, send → SMTP p50/p99');
for (let w = 0; w < Math.ceil(DURATION_S / 10); w += 1) {
  const list = measured.filter((s) => s.issuedAt! - t0 >= w * 10_000 && s.issuedAt! - t0 < (w + 1) * 10_000);
  const a = list.map(issuedToEvent).filter((v): v is number => v !== undefined);
  const b = list.map(sendToSmtp).filter((v): v is number => v !== undefined);
  console.log(
    `  ${String(w * 10).padStart(3)}–${String((w + 1) * 10).padStart(3)} s  n=${list.length}  rendered ${pct(a, 0.5).toFixed(0)}/${pct(a, 0.99).toFixed(0)} ms   smtp ${pct(b, 0.5).toFixed(0)}/${pct(b, 0.99).toFixed(0)} ms`,
  );
}
console.log(
  '\nbacklog samples (t s: docs in flight, mails in flight | outbox pending | JetStream pending+unacked | BullMQ waiting+active | rows)',
);
for (const b of backlogs)
  console.log(
    `  ${String(b.t).padStart(3)}: ${b.inFlightDocs}/${b.inFlightMails} | ${JSON.stringify(b.outbox)} | ${JSON.stringify(b.jetstream)} | ${JSON.stringify(b.bullmq)} | ${JSON.stringify(b.rows)}`,
  );
const lost = measured.filter((s) => !done(s) || s.readyAt === undefined);
console.log(`\nlost (no PDF or no email after ${DRAIN_S} s of drain): ${lost.length}`);
console.log('\nCPU ms per invoice (load and drain), CPU ms per second while idle before the load, peak RSS:');
for (const [name, p] of Object.entries(procs)) {
  const ms = cpuAfter[name]! - cpuBefore[name]!;
  const idle = (cpuBefore[name]! - idleBefore[name]!) / IDLE_S;
  console.log(
    `  ${name.padEnd(13)} ${(ms / measured.length).toFixed(1).padStart(6)} ms/invoice  idle ${idle.toFixed(0).padStart(4)} ms/s  peak RSS ${peakRssMb(p.pid!)} MB`,
  );
}

// ------------------------------------------------------------------------------------------ teardown
await relay.stop();
for (const child of [notificationProcess, documentProcess]) {
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}
sinks.send({ type: 'stop' });
await new Promise((resolve) => sinks.once('exit', resolve));
await Promise.all(queues.map((q) => q.close()));
const keys = await redis.keys(`${namespace}:*`);
if (keys.length) await redis.del(...keys);
redis.disconnect();
await bus.close();
await orm.close();
await admin.end();
await deleteNamespaceStreams(infra.natsUrl, namespace).catch(() => undefined);
await db.drop();
console.log(`\nservice logs: ${logPath}${PROFILE ? `\nprofiles: ${profileDir}` : ''}`);
process.exit(0);
