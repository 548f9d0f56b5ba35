import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subjects, newId, validateEvent } from '@invoice/contracts';
import { UnrecoverableError, createWorker } from '@invoice/platform-queue';
import { ObjectStorage } from '@invoice/platform-storage';
import { silentLogger, waitFor } from '@invoice/platform-testing';
import { pendingDocumentIds } from '../../src/db/documents.repository.ts';
import { documentReconciler } from '../../src/workers/index.ts';
import { RenderThreadCrash } from '../../src/render/render-threads.ts';
import { renderPdfProcessor } from '../../src/workers/render-pdf.worker.ts';
import { RENDER_QUEUE, enqueueRender } from '../../src/workers/render-queue.ts';
import { startDocumentKit, type DocumentKit } from '../support/document-kit.ts';
import { documentWithStatus, documentsOf } from '../support/documents.ts';
import { invoiceSnapshot } from '../support/invoice-snapshot.ts';
import { insertPending } from '../support/pending-document.ts';

// Each describe has its own kit, so every test sets up the rows and workers it needs and runs alone.
describe('render jobs are derived from pending rows', () => {
  let kit: DocumentKit;
  const orgId = newId();
  const reconcile = () => documentReconciler(kit.deps).runOnce();

  before(async () => {
    kit = await startDocumentKit();
  });
  after(() => kit.close());

  it('re-enqueues a pending document whose job was lost with Redis', async () => {
    const lostWithRedis = invoiceSnapshot({ lineCount: 3 });
    await kit.publishIssued(orgId, lostWithRedis);
    const pending = await waitFor(() => documentWithStatus(kit.deps, lostWithRedis.id, 'pending'));
    await waitFor(() => kit.deps.renderQueue.getJob(pending.id), { what: 'the render job' });

    await kit.deps.renderQueue.obliterate({ force: true });
    assert.equal(await kit.deps.renderQueue.getJob(pending.id), undefined, 'the job is gone');

    assert.equal(await reconcile(), 1);
    const job = await kit.deps.renderQueue.getJob(pending.id);
    assert.equal(await job?.getState(), 'waiting');
    assert.deepEqual(job?.data, { documentId: pending.id }, 'job data is the id only');
    assert.equal(await reconcile(), 0, 'a second pass adds no duplicate');
  });

  it('replaces a job that gave up while its document is still pending, with a full set of attempts', async () => {
    const gaveUp = invoiceSnapshot({ lineCount: 4 });
    const documentId = await insertPending(kit.deps, orgId, gaveUp);
    // A worker that fails every job for good, standing in for one that exhausted its retries.
    const failing = createWorker(
      RENDER_QUEUE,
      async () => {
        throw new UnrecoverableError('S3 unreachable for too long');
      },
      { redisUrl: kit.deps.config.REDIS_URL, prefix: kit.deps.config.QUEUE_PREFIX, logger: silentLogger() },
    );
    await enqueueRender(kit.deps.renderQueue, documentId);
    await waitFor(
      async () => (await (await kit.deps.renderQueue.getJob(documentId))?.getState()) === 'failed',
      {
        what: 'the job to fail',
      },
    );
    await failing.close();
    (await failing.client).disconnect();

    await reconcile();
    const job = await kit.deps.renderQueue.getJob(documentId);
    assert.equal(await job?.getState(), 'waiting');
    assert.equal(job?.attemptsMade, 0, 'a fresh job, not a retry of the spent one');
  });

  it('pages through every pending document in id order', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push(await insertPending(kit.deps, orgId, invoiceSnapshot({ lineCount: 1 })));
    const pages: string[][] = [];
    let afterId: string | undefined;
    for (;;) {
      const page = await pendingDocumentIds(kit.deps.orm.em.fork(), afterId, 2);
      if (page.length === 0) break;
      pages.push(page);
      afterId = page.at(-1);
    }
    const seen = pages.flat();
    assert.ok(pages.every((page) => page.length <= 2));
    assert.deepEqual(seen, [...seen].sort(), 'keyset pages in id order');
    assert.equal(new Set(seen).size, seen.length, 'no row twice');
    for (const id of ids) assert.ok(seen.includes(id), `pending ${id} is paged`);

    await kit.deps.renderQueue.obliterate({ force: true });
    assert.equal(await reconcile(), seen.length, 'one pass enqueues the whole backlog');
  });
});

describe('a starting worker picks up the pending documents', () => {
  let kit: DocumentKit;
  const orgId = newId();

  before(async () => {
    kit = await startDocumentKit();
  });
  after(() => kit.close());

  it('renders every pending document once a worker starts, even after Redis lost everything', async () => {
    const published = invoiceSnapshot({ lineCount: 3 });
    const inserted = invoiceSnapshot({ lineCount: 4 });
    await kit.publishIssued(orgId, published);
    const pending = await waitFor(() => documentWithStatus(kit.deps, published.id, 'pending'));
    await waitFor(() => kit.deps.renderQueue.getJob(pending.id), { what: 'the render job' });
    await insertPending(kit.deps, orgId, inserted);
    await kit.deps.renderQueue.obliterate({ force: true });

    await kit.startWorkers();
    for (const invoice of [published, inserted]) {
      const ready = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), {
        what: `invoice ${invoice.lines.length} ready`,
      });
      assert.equal((await kit.deps.storage.get(ready.s3Key)).length, ready.size);
    }
  });
});

describe('render failures', () => {
  let kit: DocumentKit;
  const orgId = newId();

  before(async () => {
    kit = await startDocumentKit();
    await kit.startWorkers();
  });
  after(() => kit.close());

  it('fails a document for good when its data cannot be rendered, and says so', async () => {
    const invoice = invoiceSnapshot({ lineCount: 1 });
    const broken = { ...invoice, lines: [{ ...invoice.lines[0], net: 'fifty' }] };
    const documentId = await insertPending(kit.deps, orgId, invoice, broken);
    await enqueueRender(kit.deps.renderQueue, documentId);

    const failed = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'failed'), {
      what: 'failed',
    });
    assert.match(failed.error ?? '', /lines\/0\/net/);
    assert.equal(failed.attempts, 1, 'no retries for bad data');
    const job = await kit.deps.renderQueue.getJob(documentId);
    assert.equal(await job?.getState(), 'failed');
    assert.equal(job?.attemptsMade, 1);

    const event = await waitFor(async () =>
      (await kit.events(Subjects.DocumentRenderFailed)).find((e) => e.data.documentId === documentId),
    );
    assert.deepEqual(validateEvent(Subjects.DocumentRenderFailed, event), [], 'the event keeps its contract');
    assert.equal(event.data.sourceId, invoice.id);
    assert.match(String(event.data.reason), /lines\/0\/net/);
    assert.equal(await documentReconciler(kit.deps).runOnce(), 0, 'a failed document is not re-enqueued');
  });

  it('keeps a document pending when S3 is down, so the job retries, and then renders it', async () => {
    const invoice = invoiceSnapshot({ lineCount: 2 });
    const documentId = await insertPending(kit.deps, orgId, invoice);
    const deadS3 = new ObjectStorage({ ...kit.s3.options, endpoint: 'http://127.0.0.1:9' });
    const runJob = renderPdfProcessor({ ...kit.deps, storage: deadS3 });

    const error = await runJob({ id: documentId, data: { documentId } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    deadS3.close();
    assert.ok(error instanceof Error, 'the job fails');
    assert.ok(!(error instanceof UnrecoverableError), 'transiently, so BullMQ retries it');
    const [row] = await documentsOf(kit.deps, invoice.id);
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 1);
    assert.match(row?.error ?? '', /^upload failed/);

    await documentReconciler(kit.deps).runOnce();
    const ready = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), { what: 'ready' });
    assert.equal(ready.attempts, 2);
    assert.equal(ready.error, null);
  });

  it('keeps a document pending when its render thread dies, so the job retries', async () => {
    const invoice = invoiceSnapshot({ lineCount: 2 });
    const documentId = await insertPending(kit.deps, orgId, invoice);
    const runJob = renderPdfProcessor(kit.deps, async () => {
      throw new RenderThreadCrash('the render thread stopped');
    });

    const error = await runJob({ id: documentId, data: { documentId } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof RenderThreadCrash, 'the job fails');
    assert.ok(!(error instanceof UnrecoverableError), 'transiently, so BullMQ retries it');
    const [row] = await documentsOf(kit.deps, invoice.id);
    assert.equal(row?.status, 'pending', 'not failed: the data was never the problem');
    assert.match(row?.error ?? '', /render thread stopped/);
    assert.equal(
      (await kit.events(Subjects.DocumentRenderFailed)).filter((e) => e.data.documentId === documentId)
        .length,
      0,
    );
  });
});
