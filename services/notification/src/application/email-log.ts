/** Reading the organization's email log (what `GET /v1/emails` and `GET /v1/emails/{id}` answer). */
import { AppError, type EmailListQuery } from '@invoice/contracts';
import { decodeCursor, hasPermission, pageOf, type AuthContext } from '@invoice/platform-http';
import type { Deps } from '../deps.ts';
import type { EmailRecord } from '../db/email.entity.ts';
import { findOrgEmail, listOrgEmails } from '../db/emails.repository.ts';

/** Who reads the log: the verified caller's organization, user and permissions. */
export type Caller = Pick<AuthContext, 'orgId' | 'userId' | 'role' | 'permissions'>;

/**
 * The member whose emails a caller is limited to: without `all_invoices_access` (owners and admins
 * hold it) a member sees only the emails of invoices they created; undefined means every email.
 */
function creatorScope(caller: Caller): string | undefined {
  return hasPermission(caller, 'all_invoices_access') ? undefined : caller.userId;
}

/** A page of the log, newest first, with the cursor of the next page (null on the last one). */
export async function listEmails(
  deps: Pick<Deps, 'orm'>,
  caller: Caller,
  query: EmailListQuery,
): Promise<{ items: EmailRecord[]; nextCursor: string | null }> {
  const limit = query.limit ?? 50;
  const rows = await listOrgEmails(deps.orm.em.fork(), caller.orgId, {
    createdBy: creatorScope(caller),
    invoiceId: query.invoiceId,
    status: query.status,
    before: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: limit + 1,
  });
  return pageOf(rows, limit);
}

/**
 * One email of the organization; NOT_FOUND for unknown ids, other organizations' emails and, without
 * `all_invoices_access`, emails of other members' invoices.
 */
export async function getEmail(deps: Pick<Deps, 'orm'>, caller: Caller, id: string): Promise<EmailRecord> {
  const email = await findOrgEmail(deps.orm.em.fork(), caller.orgId, id);
  const only = creatorScope(caller);
  if (!email || (only && email.createdBy !== only)) throw new AppError('NOT_FOUND');
  return email;
}
