/**
 * Spreadsheet import use cases: upload (checked by content, read once for its sheets and guessed
 * header rows, stored in S3 under a server-made key), a sheet from another header row, run (the
 * mapping checked, the categories and attribute definitions written through the category write
 * path, the plan stored and the job enqueued), status with the first 1,000 row errors, the full
 * error report as CSV, and cancel.
 */
import { Readable } from 'node:stream';
import { AppError, newId, type AttributeDefinition } from '@invoice/contracts';
import { inTransaction, qualified, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import type { Queue } from '@invoice/platform-queue';
import type { ObjectStorage } from '@invoice/platform-storage';
import { ImportEntity, type ImportRow } from '../db/import.entity.ts';
import { normalizeDefinition } from '../domain/attributes.ts';
import { analyse, checkHeaderRow, columnIndex, dataRowsUnder, sheetView } from '../imports/analysis.ts';
import { checkContent, checkFileName } from '../imports/file-check.ts';
import { csvSheetName } from '../imports/file-names.ts';
import type {
  ImportPlan,
  ImportRun,
  ImportView,
  PlannedSheet,
  SheetAnalysis,
  SheetView,
} from '../imports/model.ts';
import { enqueueImport } from '../workers/import-queue.ts';
import { createCategory, loadTree, updateCategory } from './categories.service.ts';
import { notFound } from './errors.ts';
import { csvStream } from './export.ts';

/** What the import use cases need. */
export interface ImportDeps {
  orm: MikroORM;
  storage: ObjectStorage;
  importQueue: Queue;
  logger: Logger;
  config: { IMPORT_MAX_UNCOMPRESSED_BYTES: number; IMPORT_FILE_TTL_SECONDS: number };
}

/** An uploaded file. */
export interface UploadedFile {
  fileName: string | undefined;
  bytes: Buffer;
}

/** S3 key of an import's file: server-made, never from the client. */
export function importKey(orgId: string, importId: string): string {
  return `orgs/${orgId}/imports/${importId}`;
}

/** Checks, reads and stores an upload; answers the import with each sheet's guessed view. */
export async function uploadImport(
  deps: ImportDeps,
  orgId: string,
  userId: string | undefined,
  file: UploadedFile,
): Promise<{ row: ImportRow; views: SheetView[] }> {
  const { name, extension } = checkFileName(file.fileName);
  const format = await checkContent(file.bytes, extension, deps.config.IMPORT_MAX_UNCOMPRESSED_BYTES);
  const sheets = await analyse(format, Readable.from([file.bytes]), csvSheetName(name));
  const id = newId();
  const key = importKey(orgId, id);
  await deps.storage.put(key, file.bytes, format === 'csv' ? 'text/csv' : XLSX_TYPE, { 'import-id': id });
  const now = new Date();
  const em = deps.orm.em.fork();
  const row = em.create(ImportEntity, {
    id,
    orgId,
    createdBy: userId ?? null,
    status: 'uploaded',
    format,
    fileName: name,
    s3Key: key,
    size: file.bytes.length,
    sheets,
    plan: null,
    cursor: { sheet: 0, row: 0 },
    totalRows: 0,
    processedRows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    failed: 0,
    errorCount: 0,
    attempts: 0,
    expiresAt: new Date(now.getTime() + deps.config.IMPORT_FILE_TTL_SECONDS * 1000),
    createdAt: now,
    updatedAt: now,
  });
  await em.flush();
  return { row, views: sheets.map((sheet) => sheetView(sheet)) };
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** An import of the organization; 404 otherwise. */
export async function getImport(orm: MikroORM, orgId: string, id: string): Promise<ImportRow> {
  const row = await orm.em.fork().findOne(ImportEntity, { id, orgId });
  if (!row) throw notFound();
  return row;
}

/** One sheet of an import from `headerRow` (the guessed one when absent). */
export async function getSheetView(
  orm: MikroORM,
  orgId: string,
  id: string,
  sheetName: string,
  headerRow: number | undefined,
): Promise<SheetView> {
  const row = await getImport(orm, orgId, id);
  const sheet = row.sheets.find((s) => s.name === sheetName);
  if (!sheet) throw AppError.field('NOT_FOUND', '/sheet', `the file has no sheet "${sheetName}"`);
  try {
    return sheetView(sheet, headerRow, '/headerRow');
  } catch (error) {
    if (error instanceof AppError) {
      throw new AppError(error.code, {
        detail: error.detail ?? error.message,
        errors: error.errors.map((e) => ({ ...e, in: 'query' as const })),
      });
    }
    throw error;
  }
}

/** The import as `GET /v1/imports/{id}` answers it, with its first 1,000 row errors. */
export async function importView(orm: MikroORM, row: ImportRow): Promise<ImportView> {
  const em = orm.em.fork();
  const errors = await em.execute<{ sheet: string; row: number; column: string | null; message: string }[]>(
    `select sheet, row, "column", message from ${qualified(em, 'import_errors')} where import_id = ? order by seq limit 1000`,
    [row.id],
  );
  const percent =
    row.status === 'completed'
      ? 100
      : row.totalRows === 0
        ? 0
        : Math.min(100, Math.floor((row.processedRows * 100) / row.totalRows));
  return {
    id: row.id,
    status: row.status as ImportView['status'],
    format: row.format as ImportView['format'],
    fileName: row.fileName,
    size: Number(row.size),
    sheets: row.sheets.map((sheet) => ({ sheet: sheet.name, rows: sheet.rows })),
    ...(row.plan
      ? {
          mode: row.plan.mode,
          matchBy: row.plan.matchBy,
          categoryIds: [...new Set(row.plan.sheets.map((s) => s.categoryId))],
        }
      : {}),
    progress: { totalRows: row.totalRows, processedRows: row.processedRows, percent },
    counts: {
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      skipped: row.skipped,
      failed: row.failed,
    },
    errors: errors.map((e) => ({
      sheet: e.sheet,
      row: e.row,
      ...(e.column ? { column: e.column } : {}),
      message: e.message,
    })),
    errorCount: row.errorCount,
    ...(row.failure ? { failure: row.failure } : {}),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    ...(row.startedAt ? { startedAt: row.startedAt.toISOString() } : {}),
    ...(row.finishedAt ? { finishedAt: row.finishedAt.toISOString() } : {}),
  };
}

/** A stored row error. */
interface ErrorLine {
  seq: number;
  sheet: string;
  row: number;
  column: string | null;
  message: string;
}

/** Every row error of an import as CSV (sheet, row, column, message), read 5,000 at a time. */
export function errorReport(orm: MikroORM, importId: string): Readable {
  const pages = async function* (): AsyncGenerator<ErrorLine[]> {
    let after = 0;
    for (;;) {
      const em = orm.em.fork();
      const rows = await em.execute<ErrorLine[]>(
        `select seq, sheet, row, "column", message from ${qualified(em, 'import_errors')}
          where import_id = ? and seq > ? order by seq limit 5000`,
        [importId, after],
      );
      if (rows.length === 0) return;
      yield rows;
      after = rows.at(-1)!.seq;
    }
  };
  return csvStream(
    pages(),
    [
      { header: 'sheet', value: (e) => e.sheet },
      { header: 'row', value: (e) => e.row },
      { header: 'column', value: (e) => e.column },
      { header: 'message', value: (e) => e.message },
    ],
    ',',
  );
}

function conflict(detail: string): AppError {
  return new AppError('IMPORT_STATE_CONFLICT', { detail });
}

function invalid(field: string, message: string): AppError {
  return AppError.field('VALIDATION_FAILED', field, message);
}

/**
 * Checks the run request against the file, writes the categories (category-per-sheet) or the new
 * attribute definitions (into-category) through the category write path, stores the plan (status
 * `mapped`) and enqueues the job.
 */
export async function runImport(
  deps: ImportDeps,
  orgId: string,
  id: string,
  body: ImportRun,
): Promise<ImportRow> {
  const row = await getImport(deps.orm, orgId, id);
  if (row.status !== 'uploaded')
    throw conflict(`the import is ${row.status}; only an uploaded import can run`);
  if (row.fileDeletedAt) throw conflict('the uploaded file has expired; upload it again');
  const checked = checkRun(row.sheets, body);
  const wanted = attributeDefinitions(body);
  let categoryIds: string[];
  if (body.mode === 'into-category') {
    if (!body.categoryId) throw invalid('/categoryId', 'is required for mode into-category');
    await defineAttributes(deps.orm, orgId, body.categoryId, wanted.all);
    categoryIds = body.sheets.map(() => body.categoryId!);
  } else {
    categoryIds = [];
    const tree = await loadTree(deps.orm.em.fork(), orgId);
    if (body.parentId && !tree.get(body.parentId))
      throw AppError.field('NOT_FOUND', '/parentId', 'is not a category of this organization');
    const inherited = new Map((body.parentId ? tree.effective(body.parentId) : []).map((d) => [d.key, d]));
    for (const [index, sheet] of body.sheets.entries()) {
      const own = wanted.perSheet[index]!;
      for (const definition of own) {
        const existing = inherited.get(definition.key);
        if (existing && existing.type !== definition.type) {
          throw invalid(
            `/sheets/${index}/columns`,
            `attribute ${definition.key} is defined by the parent category as ${existing.type}`,
          );
        }
      }
      const { row: category } = await createCategory(deps.orm, orgId, {
        ...(body.parentId ? { parentId: body.parentId } : {}),
        name: sheet.categoryName!,
        attributes: own.filter((d) => !inherited.has(d.key)),
      });
      categoryIds.push(category.id);
    }
  }
  const plan: ImportPlan = {
    mode: body.mode,
    matchBy: body.matchBy ?? 'none',
    decimalSeparator: body.decimalSeparator ?? '.',
    dateOrder: body.dateOrder ?? 'DMY',
    ...(body.defaultCurrency ? { defaultCurrency: body.defaultCurrency } : {}),
    sheets: body.sheets.map((sheet, index): PlannedSheet => ({
      sheet: sheet.sheet,
      headerRow: sheet.headerRow,
      categoryId: categoryIds[index]!,
      columns: sheet.columns,
    })),
  };
  const updated = await inTransaction(deps.orm, async (em) => {
    const result = await em.execute<{ id: string }[]>(
      `update ${qualified(em, 'imports')} set status = 'mapped', plan = ?::jsonb, total_rows = ?, updated_at = now()
        where id = ? and org_id = ? and status = 'uploaded' returning id`,
      [JSON.stringify(plan), checked.totalRows, id, orgId],
    );
    return result.length;
  });
  if (updated === 0) throw conflict('the import was started or cancelled meanwhile');
  try {
    await enqueueImport(deps.importQueue, id);
  } catch (error) {
    // The reconciler adds the job of every mapped import; the run is accepted all the same.
    deps.logger.warn({ err: error, importId: id }, 'import job not enqueued; the reconciler will add it');
  }
  return getImport(deps.orm, orgId, id);
}

/** Cancels an import that has not ended; a running one stops at its next batch. */
export async function cancelImport(orm: MikroORM, orgId: string, id: string): Promise<ImportRow> {
  const row = await getImport(orm, orgId, id);
  const updated = await inTransaction(orm, async (em) =>
    em.execute<{ id: string }[]>(
      `update ${qualified(em, 'imports')} set status = 'cancelled', finished_at = now(), updated_at = now()
        where id = ? and org_id = ? and status in ('uploaded', 'mapped', 'running') returning id`,
      [id, orgId],
    ),
  );
  if (updated.length === 0) throw conflict(`the import is ${row.status} already`);
  return getImport(orm, orgId, id);
}

/** The sheets and mappings of a run, checked against the file; answers the data rows it will read. */
function checkRun(sheets: readonly SheetAnalysis[], body: ImportRun): { totalRows: number } {
  if (body.mode === 'category-per-sheet' && body.categoryId) {
    throw invalid('/categoryId', 'is for mode into-category; category-per-sheet uses parentId');
  }
  if (body.mode === 'into-category' && body.parentId) {
    throw invalid('/parentId', 'is for mode category-per-sheet');
  }
  const seen = new Set<string>();
  let totalRows = 0;
  body.sheets.forEach((planned, index) => {
    const at = `/sheets/${index}`;
    const sheet = sheets.find((s) => s.name === planned.sheet);
    if (!sheet) throw invalid(`${at}/sheet`, `the file has no sheet "${planned.sheet}"`);
    if (seen.has(planned.sheet)) throw invalid(`${at}/sheet`, 'is listed twice');
    seen.add(planned.sheet);
    if (body.mode === 'category-per-sheet' && !planned.categoryName) {
      throw invalid(`${at}/categoryName`, 'is required for mode category-per-sheet');
    }
    checkHeaderRow(sheet, planned.headerRow, `${at}/headerRow`);
    const width = sheet.preview[planned.headerRow - 1]!.length;
    const columns = new Set<string>();
    const targets = new Set<string>();
    const keys = new Set<string>();
    planned.columns.forEach((mapping, c) => {
      const field = `${at}/columns/${c}`;
      if (columnIndex(mapping.column) >= width) {
        throw invalid(`${field}/column`, `is beyond the header row's last column`);
      }
      if (columns.has(mapping.column)) throw invalid(`${field}/column`, 'is mapped twice');
      columns.add(mapping.column);
      if (mapping.target === 'ignore') return;
      if (mapping.target === 'attribute') {
        const { key, type, options } = mapping.attribute;
        if (keys.has(key)) throw invalid(`${field}/attribute/key`, 'is mapped from two columns');
        keys.add(key);
        if (type === 'enum' && !options)
          throw invalid(`${field}/attribute/options`, 'is required for an enum attribute');
        if (type !== 'enum' && options)
          throw invalid(`${field}/attribute/options`, 'is allowed only for an enum attribute');
        return;
      }
      if (targets.has(mapping.target))
        throw invalid(`${field}/target`, `${mapping.target} is mapped from two columns`);
      targets.add(mapping.target);
    });
    for (const required of ['name', 'unitPrice'] as const) {
      if (!targets.has(required)) throw invalid(`${at}/columns`, `a column must be mapped to ${required}`);
    }
    if (!targets.has('currency') && !body.defaultCurrency) {
      throw invalid(`${at}/columns`, 'a column must be mapped to currency, or defaultCurrency given');
    }
    if (body.matchBy === 'sku' && !targets.has('sku')) {
      throw invalid(`${at}/columns`, 'matchBy sku needs a column mapped to sku');
    }
    totalRows += dataRowsUnder(sheet, planned.headerRow);
  });
  return { totalRows };
}

/** The attribute definitions the mapping names: per sheet, and all (one type per key across sheets). */
function attributeDefinitions(body: ImportRun): {
  perSheet: AttributeDefinition[][];
  all: AttributeDefinition[];
} {
  const all = new Map<string, AttributeDefinition>();
  const perSheet = body.sheets.map((sheet, index) =>
    sheet.columns.flatMap((mapping) => {
      if (mapping.target !== 'attribute') return [];
      const { key, type, label, showOnInvoice, options } = mapping.attribute;
      const definition = normalizeDefinition({
        key,
        type,
        label,
        showOnInvoice: showOnInvoice ?? false,
        ...(options ? { options } : {}),
      });
      const other = all.get(key);
      if (other && other.type !== type && body.mode === 'into-category') {
        throw invalid(
          `/sheets/${index}/columns`,
          `attribute ${key} is mapped as ${other.type} by another sheet`,
        );
      }
      all.set(key, definition);
      return [definition];
    }),
  );
  return { perSheet, all: [...all.values()] };
}

/**
 * Adds the definitions a category lacks (by the category write path, which checks them against its
 * products); a key it already defines or inherits must have the same type.
 */
async function defineAttributes(
  orm: MikroORM,
  orgId: string,
  categoryId: string,
  wanted: readonly AttributeDefinition[],
): Promise<void> {
  const tree = await loadTree(orm.em.fork(), orgId);
  const category = tree.get(categoryId);
  if (!category) throw AppError.field('NOT_FOUND', '/categoryId', 'is not a category of this organization');
  const effective = new Map(tree.effective(categoryId).map((d) => [d.key, d]));
  const missing: AttributeDefinition[] = [];
  for (const definition of wanted) {
    const existing = effective.get(definition.key);
    if (!existing) missing.push(definition);
    else if (existing.type !== definition.type) {
      throw invalid(
        '/sheets',
        `attribute ${definition.key} is defined by the category as ${existing.type}, not ${definition.type}`,
      );
    }
  }
  if (missing.length === 0) return;
  await updateCategory(
    orm,
    orgId,
    categoryId,
    { attributes: [...category.attributes, ...missing] },
    { kind: 'tags', tags: [`"${category.version}"`] },
  );
}
