/**
 * P2: steady create + issue + send at a fixed arrival rate (open loop: arrivals are scheduled at
 * t0 + i/rate whatever the responses do), whole system running as `npm start` runs it.
 * - issued → PDF stored: the issue response → the `document.rendered.v1` event of that invoice
 *   (a core NATS subscription on the namespaced subject);
 * - send → accepted by SMTP: the send response → the SMTP sink accepting the mail with that number;
 * - backlog every second: work in flight as observed (issued without PDF + sent without mail) and
 *   its parts (BullMQ waiting/active, pending rows, unpublished outbox rows, NATS consumer pending);
 * - lost: invoices without a PDF in S3 or without an email once the drain period is over.
 * Ceilings in the same run, after the drain: bare pdfkit renders/s of the same invoice (the
 * document service's renderer in-process, one core) and bare nodemailer → SMTP sink messages/s with
 * the same PDF attached.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Nodemailer from 'nodemailer';
import pg from 'pg';
import type { InvoiceSnapshot } from '@invoice/contracts';
import { closeQueue, createQueue, type Queue } from '@invoice/platform-queue';
import { renderInvoicePdf } from '../../services/document/src/render/invoice-pdf.ts';
import { startBudget, type Budgets } from '../lib/budget.ts';
import { connectNats, createOrganization, draftBody, type Organization } from '../lib/setup.ts';
import { startBenchSmtpSink, type AcceptedMail } from '../lib/smtp-sink.ts';
import { now, sleep, slope, summarize, type LatencySummary } from '../lib/stats.ts';
import { wireSubject, type IsolatedSystem, type SystemUnderTest } from '../lib/system.ts';

export interface P2Options {
  rate: number;
  seconds: number;
  warmupSeconds: number;
  drainSeconds: number;
  ceilingSeconds: number;
  log: (line: string) => void;
}

/** One sample of the backlog, `t` seconds after the first arrival. */
export interface BacklogSample {
  t: number;
  /** Arrived invoices not done yet (waiting for a response, a PDF or the mail), as the bench observes. */
  inFlight: number;
  /** Of those: issued without a PDF event yet + sent without an accepted mail yet. */
  inPipeline: number;
  renderWaiting: number | null;
  renderActive: number | null;
  emailWaiting: number | null;
  emailActive: number | null;
  documentsPending: number | null;
  emailsPending: number | null;
  outboxPending: number | null;
  natsPending: number | null;
}

export interface P2Result {
  rate: number;
  seconds: number;
  arrivals: number;
  achievedRate: number;
  maxLatenessMs: number;
  errors: number;
  firstError?: string;
  issuedToPdfMs: LatencySummary;
  sendToSmtpMs: LatencySummary;
  apiMs: { create: LatencySummary; issue: LatencySummary; send: LatencySummary };
  backlog: BacklogSample[];
  /** Growth of the in-flight work over the arrival window after warm-up (items, from the slope). */
  backlogGrowth: number;
  /** Growth allowed: one second of arrivals. */
  backlogGrowthLimit: number;
  drainSeconds: number;
  /**
   * Invoices without a PDF in S3 / without an accepted mail once the drain period is over, and the
   * document and email rows still pending then (work that is late rather than gone).
   */
  lost: {
    pdf: number;
    email: number;
    total: number;
    pendingDocuments: number | null;
    pendingEmails: number | null;
  };
  ceiling: { rendersPerSecond: number; renderMs: LatencySummary; pdfBytes: number; mailsPerSecond: number };
  budgets: Budgets;
}

interface Flow {
  index: number;
  measured: boolean;
  id?: string;
  number?: string;
  createMs?: number;
  issueMs?: number;
  issuedAt?: number;
  sendMs?: number;
  sentAt?: number;
  error?: string;
}

const SUBJECT_NUMBER = /^Invoice (\S+) from /;

/** Runs one create → issue → send, filling `flow`. */
async function runFlow(org: Organization, body: Record<string, unknown>, flow: Flow): Promise<void> {
  const draft = await org.api.call('POST', '/v1/invoices', body);
  flow.createMs = draft.ms;
  if (draft.status !== 201) {
    flow.error = `create ${draft.status} ${JSON.stringify(draft.json).slice(0, 200)}`;
    return;
  }
  flow.id = draft.json.id as string;
  const issued = await org.api.call('POST', `/v1/invoices/${flow.id}/issue`, {});
  flow.issueMs = issued.ms;
  if (issued.status !== 200) {
    flow.error = `issue ${issued.status} ${JSON.stringify(issued.json).slice(0, 200)}`;
    return;
  }
  flow.issuedAt = issued.at;
  flow.number = issued.json.number as string;
  const sent = await org.api.call('POST', `/v1/invoices/${flow.id}/send`, {});
  flow.sendMs = sent.ms;
  if (sent.status !== 202) {
    flow.error = `send ${sent.status} ${JSON.stringify(sent.json).slice(0, 200)}`;
    return;
  }
  flow.sentAt = sent.at;
}

/** Reads the backlog's parts; a part that cannot be read (schema changed, …) is null. */
class BacklogProbe {
  private readonly pool: pg.Pool;
  private readonly queues: Queue[];
  private jsm: JetStreamManager | undefined;
  private readonly system: SystemUnderTest;
  private readonly nc: NatsConnection;

  constructor(system: SystemUnderTest, nc: NatsConnection) {
    this.system = system;
    this.nc = nc;
    this.pool = new pg.Pool({ connectionString: system.databaseUrl, max: 2 });
    const connection = { redisUrl: system.redisUrl, prefix: system.queuePrefix };
    this.queues = [createQueue('document-render', connection), createQueue('notification-email', connection)];
  }

  private async counts(queue: Queue) {
    try {
      const counts = await queue.getJobCounts('wait', 'prioritized', 'active');
      return { waiting: (counts.wait ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0 };
    } catch {
      return { waiting: null, active: null };
    }
  }

  private async rows() {
    try {
      const outbox = ['auth', 'catalog', 'invoicing', 'document', 'notification']
        .map((schema) => `(select count(*) from ${schema}.outbox where published_at is null)`)
        .join(' + ');
      const result = await this.pool.query(
        `select (select count(*) from document.documents where status = 'pending')::int as documents,
                (select count(*) from notification.emails
                  where status in ('waiting_for_document', 'queued', 'sending'))::int as emails,
                (${outbox})::int as outbox`,
      );
      const row = result.rows[0] as { documents: number; emails: number; outbox: number };
      return { documentsPending: row.documents, emailsPending: row.emails, outboxPending: row.outbox };
    } catch {
      return { documentsPending: null, emailsPending: null, outboxPending: null };
    }
  }

  private async natsPending(): Promise<number | null> {
    try {
      this.jsm ??= await jetstreamManager(this.nc);
      const prefix = this.system.namespace ? `${this.system.namespace.toUpperCase()}_` : '';
      let pending = 0;
      for await (const stream of this.jsm.streams.names()) {
        if (!stream.startsWith(prefix)) continue;
        for await (const consumer of this.jsm.consumers.list(stream)) {
          pending += consumer.num_pending + consumer.num_ack_pending;
        }
      }
      return pending;
    } catch {
      return null;
    }
  }

  async sample(t: number, work: { open: number; pipeline: number }): Promise<BacklogSample> {
    const [render, email, rows, natsPending] = await Promise.all([
      this.counts(this.queues[0] as Queue),
      this.counts(this.queues[1] as Queue),
      this.rows(),
      this.natsPending(),
    ]);
    return {
      t: Math.round(t * 10) / 10,
      inFlight: work.open,
      inPipeline: work.pipeline,
      renderWaiting: render.waiting,
      renderActive: render.active,
      emailWaiting: email.waiting,
      emailActive: email.active,
      ...rows,
      natsPending,
    };
  }

  async close(): Promise<void> {
    for (const queue of this.queues) await closeQueue(queue).catch(() => undefined);
    await this.pool.end();
  }
}

/**
 * Ids of `invoiceIds` that have a PDF object in the bucket, looked up invoice by invoice
 * (`orgs/<org>/invoices/<id>/`, 8 at a time): s3rver answers InternalError to any listing that would
 * be truncated (more than 1,000 keys), so the organization's prefix cannot be listed at once.
 */
async function storedPdfs(
  system: SystemUnderTest,
  orgId: string,
  invoiceIds: string[],
): Promise<Set<string>> {
  const client = new S3Client({
    endpoint: system.s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: system.s3.accessKeyId, secretAccessKey: system.s3.secretAccessKey },
  });
  const ids = new Set<string>();
  const queue = [...invoiceIds];
  try {
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let id = queue.shift(); id; id = queue.shift()) {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket: system.s3.bucket, Prefix: `orgs/${orgId}/invoices/${id}/` }),
          );
          if (
            (page.Contents ?? []).some((object) => /\.pdf$/.test(object.Key ?? '') && (object.Size ?? 0) > 0)
          )
            ids.add(id);
        }
      }),
    );
  } finally {
    client.destroy();
  }
  return ids;
}

/** Bare pdfkit: the document service's renderer on the stored snapshot, one at a time. */
async function renderCeiling(snapshot: InvoiceSnapshot, seconds: number) {
  for (let i = 0; i < 20; i++) await renderInvoicePdf(snapshot); // warm-up: fonts, JIT
  const times: number[] = [];
  let pdf: Buffer = Buffer.alloc(0);
  const started = now();
  while (now() - started < seconds * 1000) {
    const t0 = now();
    pdf = await renderInvoicePdf(snapshot);
    times.push(now() - t0);
  }
  const elapsed = (now() - started) / 1000;
  return {
    rendersPerSecond: Math.round((times.length / elapsed) * 10) / 10,
    renderMs: summarize(times),
    pdf,
  };
}

/**
 * nodemailer as the notification service loads it (its own dependency, which may be another version
 * than a copy hoisted to the root for other packages).
 */
const nodemailer = createRequire(
  path.resolve(import.meta.dirname, '../../services/notification/package.json'),
)('nodemailer') as typeof Nodemailer;

/** Bare nodemailer (pooled, 4 connections as the email worker) → a bench SMTP sink, 8 in flight. */
async function mailCeiling(pdf: Buffer, seconds: number, from: string): Promise<number> {
  const sink = await startBenchSmtpSink();
  const transport = nodemailer.createTransport({
    pool: true,
    host: sink.host,
    port: sink.port,
    maxConnections: 4,
  });
  try {
    const message = (i: number) => ({
      from,
      to: 'billing@example.test',
      subject: `Invoice CEIL-${i} from Bench GmbH`,
      text: 'Dear client,\n\nplease find attached your invoice.\n\nKind regards',
      html: '<p>Dear client,</p><p>please find attached your invoice.</p><p>Kind regards</p>',
      attachments: [{ filename: `CEIL-${i}.pdf`, content: pdf, contentType: 'application/pdf' }],
    });
    for (let i = 0; i < 8; i++) await transport.sendMail(message(i)); // warm-up: connections
    sink.mails.length = 0;
    let sent = 0;
    const started = now();
    const end = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (now() < end) await transport.sendMail(message(++sent));
      }),
    );
    const accepted = sink.mails.filter((mail) => mail.acceptedAt <= end).length;
    return Math.round((accepted / ((end - started) / 1000)) * 10) / 10;
  } finally {
    transport.close();
    await sink.stop();
  }
}

export async function runP2(system: SystemUnderTest, options: P2Options): Promise<P2Result> {
  const { log, rate } = options;
  if (system.isolated) {
    log('P2: starting the whole system as npm start runs it');
    await (system as IsolatedSystem).start();
  }
  const nc = await connectNats(system);
  const rendered = new Map<string, number>();
  const renderedSub = nc.subscribe(wireSubject(system, 'document.rendered.v1'), {
    callback: (error, message) => {
      if (error) return;
      const event = message.json<{ data: { sourceId: string } }>();
      if (!rendered.has(event.data.sourceId)) rendered.set(event.data.sourceId, now());
    },
  });
  const mailed = new Map<string, number>();
  const onMail = (mail: AcceptedMail) => {
    const number = SUBJECT_NUMBER.exec(mail.subject)?.[1];
    if (number && !mailed.has(number)) mailed.set(number, mail.acceptedAt);
  };
  system.mail.onMail = onMail;
  const org = await createOrganization(system, nc, { clients: 1, maxSockets: 512 });
  const probe = new BacklogProbe(system, nc);
  try {
    const clientId = org.clientIds[0] as string;
    const body = draftBody(clientId);
    log('P2: warm-up flows (until their PDF and email arrive)');
    const warmups: Flow[] = [];
    for (let i = 0; i < 3; i++) {
      const flow: Flow = { index: -1, measured: false };
      await runFlow(org, body, flow);
      if (flow.error) throw new Error(`warm-up flow failed: ${flow.error}`);
      warmups.push(flow);
    }
    const delivered = () =>
      warmups.every((flow) => rendered.has(flow.id as string) && mailed.has(flow.number as string));
    for (const deadline = now() + 90_000; !delivered() && now() < deadline;) await sleep(50);
    if (!delivered()) {
      const pdfs = warmups.filter((flow) => rendered.has(flow.id as string)).length;
      const mails = warmups.filter((flow) => mailed.has(flow.number as string)).length;
      throw new Error(
        `the pipeline did not deliver the warm-up invoices within 90 s: ${pdfs} of 3 PDFs, ${mails} of 3 emails`,
      );
    }

    const warmupArrivals = Math.round(options.warmupSeconds * rate);
    const total = warmupArrivals + Math.round(options.seconds * rate);
    const flows: Flow[] = [];
    const running: Promise<void>[] = [];
    const backlog: BacklogSample[] = [];
    let maxLatenessMs = 0;
    log(`P2: ${rate}/s for ${options.warmupSeconds}s warm-up + ${options.seconds}s measured (open loop)`);
    const budget = startBudget(() => system.processes());
    const t0 = now();
    const finished = (flow: Flow) =>
      flow.error !== undefined ||
      (flow.sentAt !== undefined && rendered.has(flow.id as string) && mailed.has(flow.number as string));
    const counts = () => {
      let open = 0;
      let pipeline = 0;
      for (const flow of flows) {
        if (!finished(flow)) open++;
        if (flow.issuedAt !== undefined && flow.id && !rendered.has(flow.id)) pipeline++;
        if (flow.sentAt !== undefined && flow.number && !mailed.has(flow.number)) pipeline++;
      }
      return { open, pipeline };
    };
    let sampling = true;
    const sampler = (async () => {
      let next = t0 + 1000;
      while (sampling) {
        await sleep(Math.max(0, next - now()));
        next += 1000;
        if (!sampling) break;
        backlog.push(await probe.sample((now() - t0) / 1000, counts()));
      }
    })();

    let launched = 0;
    while (launched < total) {
      const due = Math.min(total, Math.floor(((now() - t0) * rate) / 1000) + 1);
      while (launched < due) {
        const scheduled = t0 + (launched * 1000) / rate;
        maxLatenessMs = Math.max(maxLatenessMs, now() - scheduled);
        const flow: Flow = { index: launched, measured: launched >= warmupArrivals };
        flows.push(flow);
        running.push(runFlow(org, body, flow).catch((error: unknown) => void (flow.error = String(error))));
        launched++;
      }
      await sleep(Math.max(1, t0 + (launched * 1000) / rate - now()));
    }
    const arrivalSeconds = (now() - t0) / 1000;
    log(`P2: arrivals done (${launched} in ${arrivalSeconds.toFixed(1)} s); waiting for responses and drain`);
    await Promise.all(running);
    const drainStart = now();
    const done = () => flows.every(finished);
    while (!done() && now() - drainStart < options.drainSeconds * 1000) await sleep(200);
    const drainSeconds = Math.round((now() - drainStart) / 100) / 10;
    sampling = false;
    await sampler;
    const final = await probe.sample((now() - t0) / 1000, counts());
    const issuedFlows = flows.filter((flow) => flow.issuedAt !== undefined);
    const budgets = budget.finish(issuedFlows.length);

    const measured = flows.filter((flow) => flow.measured);
    const pdfLatency = measured.flatMap((flow) =>
      flow.issuedAt !== undefined && rendered.has(flow.id as string)
        ? [(rendered.get(flow.id as string) as number) - flow.issuedAt]
        : [],
    );
    const mailLatency = measured.flatMap((flow) =>
      flow.sentAt !== undefined && mailed.has(flow.number as string)
        ? [(mailed.get(flow.number as string) as number) - flow.sentAt]
        : [],
    );
    const stored = await storedPdfs(
      system,
      org.orgId,
      issuedFlows.map((flow) => flow.id as string),
    );
    const lostPdf = issuedFlows.filter((flow) => !stored.has(flow.id as string)).length;
    const lostEmail = flows.filter(
      (flow) => flow.sentAt !== undefined && !mailed.has(flow.number as string),
    ).length;
    const errors = flows.filter((flow) => flow.error !== undefined);

    const warm = options.warmupSeconds;
    const window = backlog.filter((sample) => sample.t >= warm && sample.t <= arrivalSeconds);
    const growth =
      slope(window.map((sample) => ({ x: sample.t, y: sample.inFlight }))) * (arrivalSeconds - warm);
    log(
      `P2: issued→PDF p99 ${summarize(pdfLatency).p99} ms, send→SMTP p99 ${summarize(mailLatency).p99} ms, ` +
        `lost ${lostPdf + lostEmail}, errors ${errors.length}`,
    );

    // The ceilings run on a quiet machine: the services are stopped first (what is still pending,
    // if the drain ran out, would otherwise compete with them).
    if (system.isolated) await (system as IsolatedSystem).stopServices();
    log(`P2: ceilings (${options.ceilingSeconds}s each): bare pdfkit, bare nodemailer`);
    const sample = measured.find((flow) => flow.id && rendered.has(flow.id)) ?? issuedFlows[0];
    const pool = new pg.Pool({ connectionString: system.databaseUrl, max: 1 });
    const source = await pool
      .query(`select source from document.documents where source_id = $1 limit 1`, [sample?.id])
      .finally(() => pool.end());
    const snapshot = source.rows[0]?.source as InvoiceSnapshot | undefined;
    if (!snapshot) throw new Error('no stored invoice snapshot to render for the ceiling');
    const render = await renderCeiling(snapshot, options.ceilingSeconds);
    const mailsPerSecond = await mailCeiling(render.pdf, options.ceilingSeconds, `bench@example.test`);
    log(`P2: ceilings ${render.rendersPerSecond} renders/s (one core), ${mailsPerSecond} mails/s`);

    return {
      rate,
      seconds: options.seconds,
      arrivals: launched,
      achievedRate: Math.round((measured.length / options.seconds) * 10) / 10,
      maxLatenessMs: Math.round(maxLatenessMs),
      errors: errors.length,
      ...(errors[0]?.error ? { firstError: errors[0].error.slice(0, 300) } : {}),
      issuedToPdfMs: summarize(pdfLatency),
      sendToSmtpMs: summarize(mailLatency),
      apiMs: {
        create: summarize(measured.flatMap((flow) => (flow.createMs === undefined ? [] : [flow.createMs]))),
        issue: summarize(measured.flatMap((flow) => (flow.issueMs === undefined ? [] : [flow.issueMs]))),
        send: summarize(measured.flatMap((flow) => (flow.sendMs === undefined ? [] : [flow.sendMs]))),
      },
      backlog,
      backlogGrowth: Math.round(growth * 10) / 10,
      backlogGrowthLimit: rate,
      drainSeconds,
      lost: {
        pdf: lostPdf,
        email: lostEmail,
        total: lostPdf + lostEmail,
        pendingDocuments: final.documentsPending,
        pendingEmails: final.emailsPending,
      },
      ceiling: {
        rendersPerSecond: render.rendersPerSecond,
        renderMs: render.renderMs,
        pdfBytes: render.pdf.length,
        mailsPerSecond,
      },
      budgets,
    };
  } finally {
    system.mail.onMail = undefined;
    renderedSub.unsubscribe();
    await probe.close();
    org.api.close();
    await nc.close();
  }
}
