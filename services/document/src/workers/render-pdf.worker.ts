/**
 * Renders a pending document: row → PDF → S3 → (one transaction) ready + `document.rendered.v1`.
 * Bad data fails permanently (`failed` + `document.render-failed.v1`, UnrecoverableError);
 * anything else (S3, database, a render thread that died) is thrown so BullMQ retries with
 * backoff. Re-running a job is harmless: a ready row is skipped and the same bytes go to the same
 * key. The PDF itself is drawn on a render thread (`RENDER_THREADS`), off the event loop.
 */
import { createHash } from 'node:crypto';
import { Compile } from 'typebox/compile';
import { InvoiceSnapshotSchema, type InvoiceSnapshot } from '@invoice/contracts';
import { inTransaction } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import { enqueueEvent, eventsCommitted, prepareOutboxRow } from '@invoice/platform-outbox';
import {
  UnrecoverableError,
  closeWorker,
  createWorker,
  type Job,
  type Worker,
} from '@invoice/platform-queue';
import type { Deps } from '../deps.ts';
import type { DocumentRow } from '../db/document.entity.ts';
import {
  claimForRendering,
  markFailed,
  markReady,
  recordTransientError,
} from '../db/documents.repository.ts';
import { renderFailedEvent, renderedEvent, type StoredFile } from '../events/document-events.ts';
import { renderInvoicePdf } from '../render/invoice-pdf.ts';
import { RenderThreadCrash, RenderThreads } from '../render/render-threads.ts';
import { RENDER_QUEUE, type RenderJobData } from './render-queue.ts';

/** What the worker needs. */
export type RenderDeps = Pick<Deps, 'orm' | 'storage' | 'logger'>;

const snapshotValidator = Compile(InvoiceSnapshotSchema);

/** Renders a snapshot to PDF bytes (on a render thread, or on the event loop). */
export type RenderPdf = (invoice: InvoiceSnapshot) => Promise<Buffer>;

/** The running render worker. */
export interface RenderWorker {
  worker: Worker<RenderJobData>;
  /** Lets the jobs in progress finish, then stops the render threads. */
  close(): Promise<void>;
}

/**
 * Starts the BullMQ worker of `document-render`: `RENDER_CONCURRENCY` jobs at once, their PDFs
 * drawn by `RENDER_THREADS` threads (0: on the event loop).
 */
export function startRenderWorker(deps: Deps): RenderWorker {
  const threads = startRenderThreads(deps);
  const render: RenderPdf = threads ? (invoice) => threads.render(invoice) : renderInvoicePdf;
  const worker = createWorker<RenderJobData>(RENDER_QUEUE, renderPdfProcessor(deps, render), {
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.QUEUE_PREFIX,
    logger: deps.logger,
    concurrency: deps.config.RENDER_CONCURRENCY,
  });
  return {
    worker,
    async close() {
      await closeWorker(worker);
      await threads?.close();
    },
  };
}

function startRenderThreads(deps: Deps): RenderThreads | undefined {
  if (deps.config.RENDER_THREADS === 0) return undefined;
  const available = RenderThreads.available();
  if (available !== true) {
    deps.logger.warn({ missing: available }, 'render thread entry not found; rendering on the event loop');
    return undefined;
  }
  return new RenderThreads(deps.config.RENDER_THREADS);
}

/** The job processor (exported so tests can run one job without Redis in between). */
export function renderPdfProcessor(
  deps: RenderDeps,
  render: RenderPdf = renderInvoicePdf,
): (job: Pick<Job<RenderJobData>, 'id' | 'data'>) => Promise<void> {
  return async (job) => {
    const { documentId } = job.data;
    const logger = deps.logger.child({ jobId: job.id, documentId });
    // One statement each (no BEGIN/COMMIT round trips): claim + count the attempt, then ready + event.
    const document = await claimForRendering(deps.orm.em.fork(), documentId);
    if (!document) {
      logger.debug('nothing to render');
      return;
    }
    const started = performance.now();
    const pdf = await renderOrFail(deps, document, render, logger);
    const renderMs = Math.round(performance.now() - started);
    const file = await upload(deps, document, pdf);
    const em = deps.orm.em.fork();
    const published = await markReady(em, documentId, file, prepareOutboxRow(renderedEvent(document, file)));
    if (published) eventsCommitted(em);
    logger.info({ ...file, renderMs, published }, 'document rendered');
  };
}

/** Stores the PDF under the document's key; a failure is transient (the job retries). */
async function upload(deps: RenderDeps, document: DocumentRow, pdf: Buffer): Promise<StoredFile> {
  const file = {
    bucket: deps.storage.bucket,
    sha256: createHash('sha256').update(pdf).digest('hex'),
    size: pdf.length,
  };
  try {
    await deps.storage.put(document.s3Key, pdf, 'application/pdf', {
      'document-id': document.id,
      sha256: file.sha256,
    });
  } catch (error) {
    const message = `upload failed: ${errorText(error)}`;
    await inTransaction(deps.orm, (em) => recordTransientError(em, document.id, message));
    throw error;
  }
  return file;
}

/**
 * Renders, or marks the document failed and throws UnrecoverableError when its data cannot be
 * printed. A render thread that died says nothing about the data: that is thrown for a retry.
 */
async function renderOrFail(
  deps: RenderDeps,
  document: DocumentRow,
  render: RenderPdf,
  logger: Logger,
): Promise<Buffer> {
  try {
    if (!snapshotValidator.Check(document.source)) {
      const first = [...snapshotValidator.Errors(document.source)][0];
      throw new Error(`snapshot is not valid: ${first?.instancePath || '/'} ${first?.message ?? ''}`.trim());
    }
    return await render(document.source as unknown as InvoiceSnapshot);
  } catch (error) {
    if (error instanceof RenderThreadCrash) {
      await inTransaction(deps.orm, (em) => recordTransientError(em, document.id, errorText(error)));
      throw error;
    }
    const reason = errorText(error);
    await inTransaction(deps.orm, async (em) => {
      if (!(await markFailed(em, document.id, reason))) return;
      await enqueueEvent(em, renderFailedEvent(document, reason));
    });
    logger.error({ reason }, 'document cannot be rendered; failed permanently');
    throw new UnrecoverableError(reason);
  }
}

function errorText(error: unknown): string {
  return String((error as Error)?.message ?? error).slice(0, 500);
}
