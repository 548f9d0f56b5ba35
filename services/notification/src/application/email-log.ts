/** Reading the organization's email log (what `GET /v1/emails` and `GET /v1/emails/{id}` answer). */
import { AppError, type EmailListQuery } from '@invoice/contracts';
import { decodeCursor, pageOf } from '@invoice/platform-http';
import type { Deps } from '../deps.ts';
import type { EmailRecord } from '../db/email.entity.ts';
import { findOrgEmail, listOrgEmails } from '../db/emails.repository.ts';

/** A page of the log, newest first, with the cursor of the next page (null on the last one). */
export async function listEmails(
  deps: Pick<Deps, 'orm'>,
  orgId: string,
  query: EmailListQuery,
): Promise<{ items: EmailRecord[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listOrgEmails(deps.orm.em.fork(), orgId, {
    invoiceId: query.invoiceId,
    status: query.status,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}

/** One email of the organization; NOT_FOUND for unknown ids and other organizations' emails. */
export async function getEmail(deps: Pick<Deps, 'orm'>, orgId: string, id: string): Promise<EmailRecord> {
  const email = await findOrgEmail(deps.orm.em.fork(), orgId, id);
  if (!email) throw new AppError('NOT_FOUND');
  return email;
}
