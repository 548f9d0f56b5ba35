/**
 * The invoice list, newest first (by id: UUIDv7, so time-ordered and stable), keyset-paginated. Every
 * documented filter combination is an index range scan that stops after `limit` rows, including the
 * ones that match nothing (migration 20261202: one index per combination of status and client, with
 * and without the issue date):
 *
 * - without issue dates: `(org_id[, client_id][, status], id desc)` read from the cursor down;
 * - with issue dates, the order (id) and the range (issue date) need different index orders, and a
 *   plain plan either sorts every invoice in the range or walks every newer invoice outside it. The
 *   query first reads the newest RECENT_SCAN invoices by id and keeps those in the range: when that
 *   fills the page (or there are no more), it is the answer. Otherwise it walks `(org_id[, client_id][, status], issue_date, id desc)` once per distinct issue
 *   date in the range (one index probe each, giving that day's newest id below the cursor), keeps
 *   the `limit` days with the newest ids (no other day can hold one of the `limit` newest invoices),
 *   and takes the `limit` newest ids among those days (from the n-th of them at most `limit - n + 1`:
 *   the newest invoice of each of the n - 1 days before it is newer than all of its invoices). Its
 *   cost grows with the number of distinct issue dates in the range (an index probe each), never
 *   with the number of invoices.
 */
import type { InvoiceStatus } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { InvoiceRow } from './invoice.entity.ts';

/**
 * Invoices read by id (newest first) before falling back to the walk over issue dates: when the range
 * is dense among the newest invoices (this year, since last month...) the page is found among them.
 */
const RECENT_SCAN = 1_000;

/** Filters of the invoice list. */
export interface InvoiceFilter {
  status?: InvoiceStatus | undefined;
  clientId?: string | undefined;
  issueDateFrom?: string | undefined;
  issueDateTo?: string | undefined;
  /** Only invoices with a smaller id (UUIDv7, so older) than this one. */
  before?: string | undefined;
  /** Only invoices this user created (a member without all_invoices_access). */
  createdBy?: string | undefined;
  limit: number;
}

/** What a list item shows of an invoice. */
export type InvoiceSummaryRow = Pick<
  InvoiceRow,
  | 'id'
  | 'type'
  | 'status'
  | 'number'
  | 'clientId'
  | 'currency'
  | 'issueDate'
  | 'dueDate'
  | 'totalLineNet'
  | 'totalAllowances'
  | 'totalCharges'
  | 'totalNet'
  | 'totalVat'
  | 'totalOtherTax'
  | 'totalGross'
  | 'totalPrepaid'
  | 'totalRounding'
  | 'totalDue'
  | 'version'
  | 'issuedAt'
  | 'lastSentAt'
  | 'createdAt'
  | 'updatedAt'
> & { buyerName: string | null };

const SUMMARY_SELECT = `i.id, i.type, i.status, i.number, i.client_id as "clientId", i.buyer ->> 'name' as "buyerName",
  i.currency, i.issue_date as "issueDate", i.due_date as "dueDate", i.total_line_net as "totalLineNet",
  i.total_allowances as "totalAllowances", i.total_charges as "totalCharges", i.total_net as "totalNet",
  i.total_vat as "totalVat", i.total_other_tax as "totalOtherTax", i.total_gross as "totalGross",
  i.total_prepaid as "totalPrepaid", i.total_rounding as "totalRounding", i.total_due as "totalDue", i.version,
  i.issued_at as "issuedAt", i.last_sent_at as "lastSentAt", i.created_at as "createdAt", i.updated_at as "updatedAt"`;

type RawSummary = Omit<InvoiceSummaryRow, 'issuedAt' | 'lastSentAt' | 'createdAt' | 'updatedAt'> & {
  issuedAt: string | null;
  lastSentAt: string | null;
  createdAt: string;
  updatedAt: string;
};

function toSummaryRow(raw: RawSummary): InvoiceSummaryRow {
  return {
    ...raw,
    issuedAt: raw.issuedAt === null ? null : new Date(raw.issuedAt),
    lastSentAt: raw.lastSentAt === null ? null : new Date(raw.lastSentAt),
    createdAt: new Date(raw.createdAt),
    updatedAt: new Date(raw.updatedAt),
  };
}

/** A page of invoices, newest first (`limit` rows at most). */
export async function listInvoices(
  em: EntityManager,
  orgId: string,
  filter: InvoiceFilter,
): Promise<InvoiceSummaryRow[]> {
  const invoices = qualified(em, 'invoices');
  // The equality prefix of the index: organization, then client and status when given.
  const prefix = ['org_id = ?'];
  const prefixParams: unknown[] = [orgId];
  if (filter.clientId) {
    prefix.push('client_id = ?');
    prefixParams.push(filter.clientId);
  }
  if (filter.status) {
    prefix.push('status = ?');
    prefixParams.push(filter.status);
  }
  if (filter.createdBy) {
    prefix.push('created_by = ?');
    prefixParams.push(filter.createdBy);
  }
  const where = prefix.join(' and ');
  const before = filter.before ? ' and id < ?' : '';
  const beforeParams = filter.before ? [filter.before] : [];

  if (!filter.issueDateFrom && !filter.issueDateTo) {
    const rows = await em.execute<RawSummary[]>(
      `select ${SUMMARY_SELECT} from ${invoices} i where ${where}${before} order by i.id desc limit ?`,
      [...prefixParams, ...beforeParams, filter.limit],
    );
    return rows.map(toSummaryRow);
  }

  const from = filter.issueDateFrom ? ' and issue_date >= ?::date' : '';
  const to = filter.issueDateTo ? ' and issue_date <= ?::date' : '';
  const fromParams = filter.issueDateFrom ? [filter.issueDateFrom] : [];
  const toParams = filter.issueDateTo ? [filter.issueDateTo] : [];
  // Each day's newest id below the cursor: the first entry of the day (one probe), or, when that one
  // is not below the cursor, a second probe that starts at the cursor.
  const dayMax = filter.before
    ? `case when days.top < ? then days.top else (select id from ${invoices}
         where ${where} and issue_date = days.day and id < ? order by id desc limit 1) end`
    : 'days.top';
  const dayMaxParams = filter.before ? [filter.before, ...prefixParams, filter.before] : [];
  const rows = await em.execute<RawSummary[]>(
    `with recursive recent as materialized (
       select id, issue_date from ${invoices} where ${where}${before} order by id desc limit ${RECENT_SCAN}
     ), quick as materialized (
       select id from recent where true${from}${to} order by id desc limit ?
     ), settled as (
       select (select count(*) from quick) >= ? or (select count(*) from recent) < ${RECENT_SCAN} as done
     ), days (day, top) as (
       (select issue_date, id from ${invoices} where ${where}${from}${to} order by issue_date, id desc limit 1)
       union all
       select next.issue_date, next.id from days cross join lateral (
         select issue_date, id from ${invoices} where ${where} and issue_date > days.day${to}
         order by issue_date, id desc limit 1) next
     ), newest_days as (
       select day, row_number() over (order by newest desc) as rank
       from (select days.day, ${dayMax} as newest from days) d
       where newest is not null order by newest desc limit ?
     ), by_days as (
       select ids.id from newest_days cross join lateral (
         select id from ${invoices} where ${where} and issue_date = newest_days.day${before}
         order by id desc limit ? - newest_days.rank + 1) ids
       order by ids.id desc limit ?
     ), page as (
       select id from quick where (select done from settled)
       union all
       select id from by_days where not (select done from settled)
     )
     select ${SUMMARY_SELECT} from page join ${invoices} i on i.id = page.id order by i.id desc`,
    [
      ...prefixParams,
      ...beforeParams,
      ...fromParams,
      ...toParams,
      filter.limit,
      filter.limit,
      ...prefixParams,
      ...fromParams,
      ...toParams,
      ...prefixParams,
      ...toParams,
      ...dayMaxParams,
      filter.limit,
      ...prefixParams,
      ...beforeParams,
      filter.limit,
      filter.limit,
    ],
  );
  return rows.map(toSummaryRow);
}
