/**
 * What must hold after a scenario, read from where it ends up (the database, S3, the SMTP sink):
 * every issued invoice numbered once and the series without a gap, one PDF object per document
 * version with the recorded sha256, one email per send request, every outbox row published, no
 * document or email left pending.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import type { Flow } from './traffic.ts';
import type { ResilienceSystem } from './system.ts';

/** The outcome of one scenario's checks. */
export interface Verdict {
  issued: number;
  numbered: number;
  gaps: number;
  duplicatedNumbers: number;
  pdfs: number;
  pdfsMissing: number;
  pdfsDuplicated: number;
  pdfsCorrupt: number;
  emailsExpected: number;
  emails: number;
  emailsMissing: number;
  emailsDuplicated: number;
  outboxPending: number;
  documentsPending: number;
  emailsPending: number;
  /** Clients and products the flows made / rows of them in the catalog (a retried create makes one). */
  catalogWritesExpected: number;
  catalogRows: number;
  /** Invoices the flows paid / invoices `paid` with exactly one payment. */
  paidExpected: number;
  paidOnce: number;
  drainSeconds: number;
}

const SCHEMAS = ['auth', 'catalog', 'invoicing', 'document', 'notification'];

/** Waits (up to `drainMs`) for every issued invoice's PDF and every sent invoice's email, then checks. */
export async function verify(
  system: ResilienceSystem,
  org: { orgId: string; sellerName: string },
  flows: Flow[],
  drainMs = 120_000,
): Promise<Verdict> {
  const { orgId, sellerName } = org;
  const db = new pg.Client({ connectionString: system.databaseUrl });
  await db.connect();
  try {
    const sent = flows.filter((flow) => flow.sent);
    const started = Date.now();
    // Drain: nothing pending anywhere on two checks 500 ms apart (an email reaches the sink a
    // moment before its `email.delivered` row is committed and relayed), or the deadline.
    let pending = await pendingWork(db, orgId);
    let quiet = 0;
    for (;;) {
      const mailed = countMails(system, sellerName, sent);
      const done = pending.outbox + pending.documents + pending.emails === 0 && mailed.missing === 0;
      quiet = done ? quiet + 1 : 0;
      if (quiet >= 2 || Date.now() - started > drainMs) break;
      await sleep(500);
      pending = await pendingWork(db, orgId);
    }
    const drainSeconds = (Date.now() - started) / 1000;

    const { rows: invoices } = await db.query<{ id: string; number: string }>(
      `select id, number from invoicing.invoices where org_id = $1 and number is not null`,
      [orgId],
    );
    const numbers = invoices.map((row) => row.number);
    const sequence = numbers.map((number) => Number(/(\d+)$/.exec(number)?.[1] ?? NaN)).sort((a, b) => a - b);
    const unique = new Set(sequence);
    const gaps =
      sequence.length === 0 ? 0 : (sequence.at(-1) as number) - (sequence[0] as number) + 1 - unique.size;

    const { rows: documents } = await db.query<{ s3_key: string; sha256: string | null; status: string }>(
      `select s3_key, sha256, status from document.documents where org_id = $1`,
      [orgId],
    );
    const objects = await listObjects(system, `orgs/${orgId}/`);
    let pdfsCorrupt = 0;
    let pdfsMissing = 0;
    for (const document of documents) {
      const body = objects.get(document.s3_key);
      if (!body) {
        pdfsMissing += 1;
        continue;
      }
      if (createHash('sha256').update(body).digest('hex') !== document.sha256) pdfsCorrupt += 1;
    }
    const mailed = countMails(system, sellerName, sent);
    const catalog = await db.query<{ n: number }>(
      `select (select count(*) from catalog.clients where org_id = $1 and name like 'Flow client %')::int
            + (select count(*) from catalog.products where org_id = $1 and name like 'Flow product %')::int as n`,
      [orgId],
    );
    const paid = await db.query<{ n: number }>(
      `select count(*)::int as n from invoicing.invoices i
       where i.org_id = $1 and i.status = 'paid'
         and (select count(*) from invoicing.payments p where p.invoice_id = i.id) = 1`,
      [orgId],
    );
    return {
      catalogWritesExpected: flows.reduce((sum, flow) => sum + flow.catalogWrites, 0),
      catalogRows: catalog.rows[0]?.n ?? 0,
      paidExpected: flows.filter((flow) => flow.paid).length,
      paidOnce: paid.rows[0]?.n ?? 0,
      issued: flows.filter((flow) => flow.issued).length,
      numbered: invoices.length,
      gaps,
      duplicatedNumbers: numbers.length - new Set(numbers).size,
      pdfs: objects.size,
      pdfsMissing,
      pdfsDuplicated: Math.max(0, objects.size - documents.length),
      pdfsCorrupt,
      emailsExpected: sent.length,
      emails: mailed.total,
      emailsMissing: mailed.missing,
      emailsDuplicated: mailed.duplicated,
      outboxPending: pending.outbox,
      documentsPending: pending.documents,
      emailsPending: pending.emails,
      drainSeconds,
    };
  } finally {
    await db.end();
  }
}

async function pendingWork(db: pg.Client, orgId: string) {
  let outbox = 0;
  for (const schema of SCHEMAS) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from ${schema}.outbox where published_at is null`,
    );
    outbox += rows[0]?.n ?? 0;
  }
  const documents = await db.query<{ n: number }>(
    `select count(*)::int as n from document.documents where org_id = $1 and status = 'pending'`,
    [orgId],
  );
  const emails = await db.query<{ n: number }>(
    `select count(*)::int as n from notification.emails where org_id = $1 and status not in ('sent', 'failed')`,
    [orgId],
  );
  return { outbox, documents: documents.rows[0]?.n ?? 0, emails: emails.rows[0]?.n ?? 0 };
}

/** Mails at the sink per sent invoice of the seller (the subject names the number and the seller). */
function countMails(system: ResilienceSystem, sellerName: string, sent: Flow[]) {
  const perNumber = new Map<string, number>();
  for (const mail of system.mail.mails) {
    if (!mail.subject.includes(`from ${sellerName}`)) continue;
    const number = /\b([A-Z]+-\d{4}-\d+)\b/.exec(mail.subject)?.[1];
    if (number) perNumber.set(number, (perNumber.get(number) ?? 0) + 1);
  }
  let missing = 0;
  let duplicated = 0;
  let total = 0;
  for (const flow of sent) {
    const count = perNumber.get(flow.number ?? '') ?? 0;
    total += count;
    if (count === 0) missing += 1;
    if (count > 1) duplicated += count - 1;
  }
  return { missing, duplicated, total };
}

/** Every object under `prefix`, with its bytes. */
async function listObjects(system: ResilienceSystem, prefix: string): Promise<Map<string, Buffer>> {
  const s3 = new S3Client({
    endpoint: system.s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: system.s3.accessKeyId, secretAccessKey: system.s3.secretAccessKey },
  });
  const objects = new Map<string, Buffer>();
  try {
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: system.s3.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        const object = await s3.send(new GetObjectCommand({ Bucket: system.s3.bucket, Key: item.Key }));
        objects.set(
          item.Key as string,
          Buffer.from(
            await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
          ),
        );
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } finally {
    s3.destroy();
  }
  return objects;
}

/** The checks that failed, as lines (empty when everything held). */
export function failures(verdict: Verdict, flows: Flow[]): string[] {
  const problems: string[] = [];
  const failed = flows.filter((flow) => flow.error);
  if (failed.length > 0) problems.push(`${failed.length} flows failed, e.g. ${failed[0]?.error}`);
  if (verdict.numbered !== verdict.issued)
    problems.push(`${verdict.numbered} numbered rows for ${verdict.issued} issued`);
  if (verdict.gaps > 0) problems.push(`${verdict.gaps} gaps in the number series`);
  if (verdict.duplicatedNumbers > 0) problems.push(`${verdict.duplicatedNumbers} duplicated numbers`);
  if (verdict.pdfsMissing + verdict.pdfsDuplicated + verdict.pdfsCorrupt > 0) {
    problems.push(
      `PDFs: ${verdict.pdfsMissing} missing, ${verdict.pdfsDuplicated} extra, ${verdict.pdfsCorrupt} corrupt`,
    );
  }
  if (verdict.emailsMissing + verdict.emailsDuplicated > 0) {
    problems.push(`emails: ${verdict.emailsMissing} missing, ${verdict.emailsDuplicated} duplicated`);
  }
  if (verdict.catalogRows !== verdict.catalogWritesExpected) {
    problems.push(`${verdict.catalogRows} clients and products for ${verdict.catalogWritesExpected} creates`);
  }
  if (verdict.paidOnce !== verdict.paidExpected) {
    problems.push(`${verdict.paidOnce} invoices paid by exactly one payment, ${verdict.paidExpected} paid`);
  }
  if (verdict.outboxPending + verdict.documentsPending + verdict.emailsPending > 0) {
    problems.push(
      `left pending: ${verdict.outboxPending} outbox rows, ${verdict.documentsPending} documents, ${verdict.emailsPending} emails`,
    );
  }
  return problems;
}
