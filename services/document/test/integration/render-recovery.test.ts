import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Subjects, newId, validateEvent } from '@invoice/contracts';
import { UnrecoverableError, createWorker } from '@invoice/platform-queue';
import { ObjectStorage } from '@invoice/platform-storage';
import { silentLogger, waitFor } from '@invoice/platform-testing';
import { reconcilePendingDocuments } from '../../src/workers/pending-documents.reconciler.ts';
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

    assert.equal(await reconcilePendingDocuments(kit.deps), 1);
    const job = await kit.deps.renderQueue.getJob(pending.id);
    assert.equal(await job?.getState(), 'waiting');
    assert.deepEqual(job?.data, { documentId: pending.id }, 'job data is the id only');
    assert.equal(await reconcilePendingDocuments(kit.deps), 0, 'a second pass adds no duplicate');
  });

  it('retries a job that gave up while its document is still pending', async () => {
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

    await reconcilePendingDocuments(kit.deps);
    assert.equal(await (await kit.deps.renderQueue.getJob(documentId))?.getState(), 'waiting');
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
      (await kit.documentEvents(Subjects.DocumentRenderFailed)).find((e) => e.data.documentId === documentId),
    );
    assert.deepEqual(validateEvent(Subjects.DocumentRenderFailed, event), [], 'the event keeps its contract');
    assert.equal(event.data.sourceId, invoice.id);
    assert.match(String(event.data.reason), /lines\/0\/net/);
    assert.equal(await reconcilePendingDocuments(kit.deps), 0, 'a failed document is not re-enqueued');
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

    await reconcilePendingDocuments(kit.deps);
    const ready = await waitFor(() => documentWithStatus(kit.deps, invoice.id, 'ready'), { what: 'ready' });
    assert.equal(ready.attempts, 2);
    assert.equal(ready.error, null);
  });
});
