/**
 * Runs an import: streams its file from S3, converts each row by the plan's mapping and commits the
 * rows in batches. One transaction per batch writes the products (and their events), the batch's
 * row errors, the counts and the cursor (the last committed row), and only while the import is
 * still running: a cancelled import stops at its next batch with nothing of that batch written. A
 * worker that dies mid-file leaves the last committed batch behind; the job runs again (BullMQ's
 * stalled-job check, or the reconciler after a Redis flush) and skips the committed rows, so no
 * product is written twice. The end (`completed` + `catalog.import.completed.v1`) is one
 * transaction too. A file that cannot be read any more (expired, unreadable) fails the import for
 * good; anything else (S3, Postgres) is thrown for BullMQ's retry.
 */
import {
  AppError,
  createEnvelope,
  Subjects,
  type AttributeDefinition,
  type ImportCompleted,
} from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import { enqueueEvent, eventsCommitted } from '@invoice/platform-outbox';
import {
  closeWorker,
  createWorker,
  UnrecoverableError,
  type Job,
  type Worker,
} from '@invoice/platform-queue';
import { LockMode } from '@mikro-orm/core';
import { loadTree } from '../application/categories.service.ts';
import { writeImportBatch, type ImportItem } from '../application/products.import.ts';
import type { Deps } from '../deps.ts';
import { ImportEntity, type ImportCursor, type ImportRow } from '../db/import.entity.ts';
import { claimImport } from '../db/imports.repository.ts';
import { dataRowsUnder, isEmptyRow } from '../imports/analysis.ts';
import { RowConverter, type RowProblem } from '../imports/convert.ts';
import { csvSheetName } from '../imports/file-names.ts';
import type { ImportPlan, SheetAnalysis } from '../imports/model.ts';
import { readRows } from '../imports/rows.ts';
import { IMPORT_QUEUE, type ImportJobData } from './import-queue.ts';

/** What the processor needs. */
export type ImportDeps = Pick<Deps, 'orm' | 'storage' | 'logger' | 'config'>;

/**
 * Test hooks: `beforeCommit` runs inside each batch's transaction after its products are written and
 * before the import row is updated (throwing there is a crash mid-batch).
 */
export interface ImportHooks {
  beforeCommit?: (batch: number) => void | Promise<void>;
}

/** The import was cancelled (or finished elsewhere) while this run was reading it. */
class ImportStopped extends Error {}

interface RowError {
  sheet: string;
  row: number;
  column?: string;
  message: string;
}

interface Batch {
  items: ImportItem[];
  /** Sheet and row of each item (by `ref`). */
  refs: { sheet: string; row: number }[];
  errors: RowError[];
  rows: number;
  last: ImportCursor;
}

/** Starts the BullMQ worker of `catalog-import` (`IMPORT_CONCURRENCY` imports at once). */
export function startImportWorker(deps: Deps): Worker<ImportJobData> {
  return createWorker<ImportJobData>(IMPORT_QUEUE, importProcessor(deps), {
    redisUrl: deps.config.REDIS_URL,
    prefix: deps.config.QUEUE_PREFIX,
    logger: deps.logger,
    concurrency: deps.config.IMPORT_CONCURRENCY,
  });
}

/** Stops the worker, letting the current batches commit. */
export async function stopImportWorker(worker: Worker): Promise<void> {
  await closeWorker(worker);
}

/** The job processor (exported so tests can run an import without Redis in between). */
export function importProcessor(
  deps: ImportDeps,
  hooks: ImportHooks = {},
): (job: Pick<Job<ImportJobData>, 'id' | 'data'>) => Promise<void> {
  return async (job) => {
    const { importId } = job.data;
    const logger = deps.logger.child({ jobId: job.id, importId });
    const row = await claimImport(deps.orm.em.fork(), importId);
    if (!row) {
      logger.debug('nothing to import');
      return;
    }
    if (!row.plan) {
      await finish(deps, row, 'failed', 'the import has no plan');
      throw new UnrecoverableError('the import has no plan');
    }
    if (row.fileDeletedAt) {
      await finish(deps, row, 'failed', 'the uploaded file has expired');
      throw new UnrecoverableError('the uploaded file has expired');
    }
    const started = performance.now();
    try {
      await runImport(deps, row, row.plan, hooks);
    } catch (error) {
      if (error instanceof ImportStopped) {
        logger.info('import stopped (cancelled)');
        return;
      }
      if (error instanceof AppError || isUnreadable(error)) {
        const reason = `the file could not be read: ${String((error as Error).message).slice(0, 300)}`;
        await finish(deps, row, 'failed', reason);
        throw new UnrecoverableError(reason);
      }
      throw error;
    }
    const done = await finish(deps, row, 'completed');
    logger.info({ ms: Math.round(performance.now() - started), ...done }, 'import completed');
  };
}

function isUnreadable(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  const code = (error as { code?: string })?.code ?? '';
  return (
    name === 'NoSuchKey' || code.startsWith('CSV_') || /zip|sax|xml/i.test(String((error as Error)?.message))
  );
}

async function runImport(
  deps: ImportDeps,
  row: ImportRow,
  plan: ImportPlan,
  hooks: ImportHooks,
): Promise<void> {
  const em = deps.orm.em.fork();
  const tree = await loadTree(em, row.orgId);
  const definitions = new Map<string, AttributeDefinition[]>();
  const definitionsOf = (categoryId: string) => {
    let found = definitions.get(categoryId);
    if (!found) {
      found = tree.get(categoryId) ? tree.effective(categoryId) : [];
      definitions.set(categoryId, found);
    }
    return found;
  };
  const ordinal = new Map(row.sheets.map((sheet, index) => [sheet.name, index]));
  const planned = new Map(
    plan.sheets.map((sheet) => [
      sheet.sheet,
      { sheet, converter: new RowConverter(sheet, plan, definitionsOf(sheet.categoryId)) },
    ]),
  );
  const cursor = row.cursor;
  const skuSeen = new Map<string, string>();
  const batchRows = deps.config.IMPORT_BATCH_ROWS;
  let batchNo = 0;
  let batch = emptyBatch(cursor);
  let inFlight: Promise<void> = Promise.resolve();

  const source = await deps.storage.getStream(row.s3Key);
  try {
    for await (const { sheet, row: number, cells } of readRows(
      row.format as 'csv' | 'xlsx',
      source,
      csvSheetName(row.fileName),
    )) {
      const entry = planned.get(sheet);
      if (!entry || number <= entry.sheet.headerRow) continue;
      if (isEmptyRow(cells)) continue;
      const at = { sheet: ordinal.get(sheet) ?? 0, row: number };
      const committed = at.sheet < cursor.sheet || (at.sheet === cursor.sheet && at.row <= cursor.row);
      const converted = entry.converter.convert(cells);
      const sku = converted.fields?.sku;
      const where = `row ${number} of sheet "${sheet}"`;
      if (committed) {
        if (sku && !skuSeen.has(sku)) skuSeen.set(sku, where);
        continue;
      }
      batch.rows++;
      batch.last = at;
      if (converted.problems) {
        batch.errors.push(...converted.problems.map((p: RowProblem) => ({ sheet, row: number, ...p })));
      } else if (sku && skuSeen.has(sku)) {
        const column = entry.sheet.columns.find((c) => c.target === 'sku')?.column;
        batch.errors.push({
          sheet,
          row: number,
          ...(column ? { column } : {}),
          message: `SKU ${sku} is also on ${skuSeen.get(sku)}`,
        });
      } else {
        if (sku) skuSeen.set(sku, where);
        batch.refs.push({ sheet, row: number });
        batch.items.push({ ref: batch.items.length, fields: converted.fields });
      }
      if (batch.rows >= batchRows) {
        // One batch commits while the next one is read: Postgres and the parser work side by side.
        // Batches still commit one after another, in file order, so the cursor only moves forward.
        await inFlight;
        inFlight = commitBatch(deps, row, plan, batch, definitionsOf, ++batchNo, hooks);
        inFlight.catch(() => undefined); // awaited below; never an unhandled rejection meanwhile
        batch = emptyBatch(batch.last);
      }
    }
    await inFlight;
  } finally {
    await inFlight.catch(() => undefined);
    source.destroy();
  }
  if (batch.rows > 0) await commitBatch(deps, row, plan, batch, definitionsOf, batchNo + 1, hooks);
}

function emptyBatch(last: ImportCursor): Batch {
  return { items: [], refs: [], errors: [], rows: 0, last };
}

async function commitBatch(
  deps: ImportDeps,
  row: ImportRow,
  plan: ImportPlan,
  batch: Batch,
  definitionsOf: (categoryId: string) => readonly AttributeDefinition[],
  batchNo: number,
  hooks: ImportHooks,
): Promise<void> {
  const em = deps.orm.em.fork();
  await em.transactional(async (tx) => {
    // A batch lost with a Postgres crash is lost with its cursor, so it is read again: the import
    // does not need each commit flushed to disk before going on.
    await tx.execute('set local synchronous_commit = off');
    const outcome = await writeImportBatch(tx, row.orgId, batch.items, plan.matchBy, definitionsOf);
    const column = (sheet: string) =>
      plan.sheets.find((s) => s.sheet === sheet)?.columns.find((c) => c.target === 'sku')?.column;
    for (const refused of outcome.refused) {
      const at = batch.refs[refused.ref]!;
      const letter = column(at.sheet);
      batch.errors.push({ ...at, ...(letter ? { column: letter } : {}), message: `SKU ${refused.message}` });
    }
    batch.errors.sort((a, b) => a.row - b.row);
    await insertErrors(tx, row.id, batch.errors);
    await hooks.beforeCommit?.(batchNo);
    const failedRows = new Set(batch.errors.map((e) => `${e.sheet}\u0000${e.row}`)).size;
    const updated = await tx.execute<{ id: string }[]>(
      `update ${qualified(tx, 'imports')}
          set cursor = ?::jsonb, processed_rows = processed_rows + ?, created = created + ?, updated = updated + ?,
              unchanged = unchanged + ?, failed = failed + ?, error_count = error_count + ?, updated_at = now()
        where id = ? and status = 'running'
        returning id`,
      [
        JSON.stringify(batch.last),
        batch.rows,
        outcome.created,
        outcome.updated,
        outcome.unchanged,
        failedRows,
        batch.errors.length,
        row.id,
      ],
    );
    if (updated.length === 0) throw new ImportStopped();
  });
  eventsCommitted(em);
}

async function insertErrors(em: EntityManager, importId: string, errors: RowError[]): Promise<void> {
  if (errors.length === 0) return;
  await em.execute(
    `insert into ${qualified(em, 'import_errors')} (import_id, seq, sheet, row, "column", message)
     select ?, base.n + e.ordinality, e.value->>'sheet', (e.value->>'row')::int, e.value->>'column', e.value->>'message'
       from jsonb_array_elements(?::jsonb) with ordinality e,
            (select error_count as n from ${qualified(em, 'imports')} where id = ?) base`,
    [importId, JSON.stringify(errors.map((e) => ({ ...e, message: e.message.slice(0, 1000) }))), importId],
  );
}

/** Ends the import (once) and writes `catalog.import.completed.v1` with it; answers the counts. */
async function finish(
  deps: ImportDeps,
  row: ImportRow,
  status: 'completed' | 'failed',
  failure?: string,
): Promise<Record<string, number> | undefined> {
  const em = deps.orm.em.fork();
  const result = await em.transactional(async (tx) => {
    const current = await tx.findOne(
      ImportEntity,
      { id: row.id, status: 'running' },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!current) return undefined;
    const skipped = skippedRows(current.sheets, current.plan);
    current.status = status;
    current.skipped = skipped;
    current.failure = failure ?? null;
    current.finishedAt = new Date();
    current.updatedAt = current.finishedAt;
    await tx.flush();
    const data: ImportCompleted = {
      importId: current.id,
      status,
      fileName: current.fileName,
      mode: current.plan?.mode ?? 'into-category',
      categoryIds: [...new Set(current.plan?.sheets.map((s) => s.categoryId) ?? [])],
      totalRows: current.totalRows,
      counts: {
        created: current.created,
        updated: current.updated,
        unchanged: current.unchanged,
        skipped,
        failed: current.failed,
      },
      ...(failure ? { failure } : {}),
      ...(current.createdBy ? { createdBy: current.createdBy } : {}),
    };
    await enqueueEvent(
      tx,
      createEnvelope({
        type: Subjects.ImportCompleted,
        source: 'catalog',
        orgId: current.orgId,
        subject: current.id,
        data,
      }),
    );
    return { ...data.counts, processed: current.processedRows };
  });
  eventsCommitted(em);
  return result;
}

/** Empty rows between each planned sheet's header row and its last row. */
export function skippedRows(sheets: readonly SheetAnalysis[], plan: ImportPlan | null | undefined): number {
  if (!plan) return 0;
  let skipped = 0;
  for (const planned of plan.sheets) {
    const sheet = sheets.find((s) => s.name === planned.sheet);
    if (!sheet) continue;
    skipped += Math.max(0, sheet.rows - planned.headerRow - dataRowsUnder(sheet, planned.headerRow));
  }
  return skipped;
}
