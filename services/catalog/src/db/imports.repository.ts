/** Statements of the import state machine, each one atomic. */
import { qualified, type EntityManager } from '@invoice/platform-db';
import { ImportEntity, type ImportRow } from './import.entity.ts';

/** Imports a worker must finish (mapped or running), in id order after `afterId`. */
export async function pendingImportIds(
  em: EntityManager,
  afterId: string | undefined,
  limit: number,
): Promise<string[]> {
  const rows = await em.find(
    ImportEntity,
    { status: { $in: ['mapped', 'running'] }, ...(afterId ? { id: { $gt: afterId } } : {}) },
    { fields: ['id'], orderBy: { id: 'asc' }, limit },
  );
  return rows.map((row) => row.id);
}

/** Marks a mapped or running import running (one more attempt); null when it is not pending. */
export async function claimImport(em: EntityManager, id: string): Promise<ImportRow | null> {
  const updated = await em.execute<{ id: string }[]>(
    `update ${qualified(em, 'imports')}
        set status = 'running', attempts = attempts + 1, started_at = coalesce(started_at, now()), updated_at = now()
      where id = ? and status in ('mapped', 'running')
      returning id`,
    [id],
  );
  if (updated.length === 0) return null;
  return em.findOne(ImportEntity, { id }, { refresh: true });
}

/** Imports whose stored file has expired and is still in S3. */
export async function expiredFiles(em: EntityManager, limit: number): Promise<ImportRow[]> {
  return em.find(
    ImportEntity,
    { fileDeletedAt: null, expiresAt: { $lte: new Date() }, status: { $nin: ['mapped', 'running'] } },
    { orderBy: { expiresAt: 'asc' }, limit },
  );
}
