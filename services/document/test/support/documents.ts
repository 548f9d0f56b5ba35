/** Reads document rows straight from the database (what the service really stored). */
import type { DocumentRow } from '../../src/db/document.entity.ts';
import { DocumentEntity } from '../../src/db/document.entity.ts';
import type { Deps } from '../../src/deps.ts';

/** Every document of a source id, newest version first. */
export function documentsOf(deps: Pick<Deps, 'orm'>, sourceId: string): Promise<DocumentRow[]> {
  return deps.orm.em.fork().find(DocumentEntity, { sourceId }, { orderBy: { version: 'desc' } });
}

/** The one document of a source id once it has reached `status`, else undefined. */
export async function documentWithStatus(
  deps: Pick<Deps, 'orm'>,
  sourceId: string,
  status: DocumentRow['status'],
): Promise<DocumentRow | undefined> {
  const [row] = await documentsOf(deps, sourceId);
  return row?.status === status ? row : undefined;
}
