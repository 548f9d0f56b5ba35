import type { InferEntity } from '@mikro-orm/core';
import { defineEntity, p } from '@invoice/platform-db';
import type { ImportPlan, SheetAnalysis } from '../imports/model.ts';

/** Where a resumed import starts: the sheet (index in the plan) and the last committed data row. */
export interface ImportCursor {
  sheet: number;
  /** Spreadsheet row number (1-based) of the last row of the last committed batch; 0: none yet. */
  row: number;
}

/**
 * An uploaded spreadsheet and its import: uploaded → mapped (run requested) → running → completed /
 * failed / cancelled. Counts and the cursor move together with each committed batch.
 */
export const ImportEntity = defineEntity({
  name: 'Import',
  tableName: 'imports',
  properties: {
    id: p.uuid().primary(),
    orgId: p.uuid().name('org_id'),
    createdBy: p.text().name('created_by').nullable(),
    status: p.text(),
    format: p.text(),
    fileName: p.text().name('file_name'),
    s3Key: p.text().name('s3_key'),
    size: p.bigint('number'),
    sheets: p.json<SheetAnalysis[]>(),
    plan: p.json<ImportPlan>().nullable(),
    cursor: p.json<ImportCursor>(),
    totalRows: p.integer().name('total_rows'),
    processedRows: p.integer().name('processed_rows'),
    created: p.integer(),
    updated: p.integer(),
    unchanged: p.integer(),
    skipped: p.integer(),
    failed: p.integer(),
    errorCount: p.integer().name('error_count'),
    failure: p.text().nullable(),
    attempts: p.integer(),
    expiresAt: p.datetime().name('expires_at'),
    fileDeletedAt: p.datetime().name('file_deleted_at').nullable(),
    createdAt: p.datetime().name('created_at'),
    updatedAt: p.datetime().name('updated_at'),
    startedAt: p.datetime().name('started_at').nullable(),
    finishedAt: p.datetime().name('finished_at').nullable(),
  },
});

/** A loaded import row. */
export type ImportRow = InferEntity<typeof ImportEntity>;
