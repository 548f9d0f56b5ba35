/**
 * The two statements of issuing an invoice. The read brings everything the price and the snapshot
 * need in one round trip (the draft with its lines, the seller and buyer replicas, the number-series
 * settings). The write is ONE autocommitted statement: it locks the draft (still at the version that
 * was priced), draws the next number of its series (upsert: created on first use, the row lock of the
 * increment makes numbers gapless and unique under concurrency, and it is held only while Postgres
 * runs this statement, never across a round trip), formats it with `document_number` (the one
 * formatter, see number-series.repository.ts), freezes the invoice, corrects line nets, and writes the
 * `invoicing.invoice.issued.v1` event with the drawn number. Either all of it commits or nothing does,
 * so a failed issue uses up no number.
 */
import { newId, type ClientSnapshot, type Organization } from '@invoice/contracts';
import { qualified, type EntityManager } from '@invoice/platform-db';
import type { SeriesSettings } from '../domain/numbering.ts';
import type { InvoiceRow } from './invoice.entity.ts';
import {
  INVOICE_SELECT,
  insertOutboxSql,
  linesJsonSql,
  setClause,
  toInvoiceRow,
  toLineRows,
  type StoredInvoice,
} from './invoices.repository.ts';
import {
  documentNumberFn,
  legacyPrefixSql,
  settingsJsonSql,
  toSettings,
} from './number-series.repository.ts';
import { wakeRelays, type OutboxRow } from './outbox.ts';
import type { ReplicaRead } from './replicas.repository.ts';

/** What issuing a draft starts from. */
export interface IssueContext {
  stored: StoredInvoice;
  /** The seller's replica row (null: none yet). */
  organization: Organization | null;
  /** The buyer's replica row (null: none yet). */
  client: ReplicaRead<ClientSnapshot> | null;
  /** The organization's number-series settings of this document type (null: none set). */
  seriesSettings: SeriesSettings | null;
  /** Prefix of the latest counter of this document type (series from before settings existed). */
  legacyPrefix: string | null;
}

/** The draft with its lines, its seller and buyer replicas and its number series (one statement), or null. */
export async function readIssueContext(
  em: EntityManager,
  orgId: string,
  id: string,
): Promise<IssueContext | null> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select ${INVOICE_SELECT}, ${linesJsonSql(em, 'i.id')} as "linesJson",
       (select o.data from ${qualified(em, 'organization_replicas')} o where o.id = i.org_id) as "organizationData",
       (select json_build_array(c.data, c.deleted_at is not null) from ${qualified(em, 'client_replicas')} c
         where c.org_id = i.org_id and c.id = i.client_id) as "clientRead",
       ${settingsJsonSql(em, 'i.org_id', 'i.type')} as "seriesSettings",
       ${legacyPrefixSql(em, 'i.org_id', 'i.type')} as "legacyPrefix"
     from ${qualified(em, 'invoices')} i where i.id = ? and i.org_id = ?`,
    [id, orgId],
  );
  const raw = rows[0];
  if (!raw) return null;
  const { linesJson, organizationData, clientRead, seriesSettings, legacyPrefix, ...columns } = raw;
  const client = clientRead as [ClientSnapshot | null, boolean] | null;
  return {
    stored: { invoice: toInvoiceRow(columns), lines: toLineRows(id, linesJson) },
    organization: (organizationData as Organization | null) ?? null,
    client: client ? { data: client[0], deleted: client[1] } : null,
    seriesSettings: toSettings(seriesSettings ?? null),
    legacyPrefix: (legacyPrefix as string | null) ?? null,
  };
}

/** What {@link issueDraft} writes. */
export interface IssueWrite {
  orgId: string;
  id: string;
  /** The draft as it was read and priced: the write happens only if it is still so. */
  version: number;
  fromStatus: string;
  toStatus: string;
  documentType: string;
  /** The counter the number is drawn from, and the pattern it is formatted with for `issueDate`. */
  period: string;
  pattern: string;
  issueDate: string;
  /** The frozen columns (parties, totals, document version, timestamps). */
  changes: Partial<InvoiceRow> & { updatedAt: Date };
  /** Line nets that differ from the stored ones. */
  nets: readonly { position: number; net: string }[];
  /** The issued event; its `data.invoice.number` is set to the drawn number by the statement. */
  event: OutboxRow;
}

/**
 * Issues the draft in one statement; returns its number and series, or null when the draft is no
 * longer at the version and status that were read (nothing is written then).
 */
export async function issueDraft(
  em: EntityManager,
  write: IssueWrite,
): Promise<{ number: string; seriesId: string } | null> {
  const invoices = qualified(em, 'invoices');
  const set = setClause(write.changes);
  const nets =
    write.nets.length > 0
      ? `, nets as (
           update ${qualified(em, 'invoice_lines')} l set net = x.net
           from inv, jsonb_to_recordset(?::jsonb) as x(position integer, net numeric)
           where l.invoice_id = inv.id and l.position = x.position)`
      : '';
  const rows = await em.execute<{ number: string; seriesId: string }[]>(
    `with target as (
       select id from ${invoices} where id = ? and org_id = ? and version = ? and status = ? for update
     ), series as (
       insert into ${qualified(em, 'number_series')} as s (id, org_id, document_type, period, prefix, next_number)
       select ?, ?, ?, ?, ?, 2 from target
       on conflict (org_id, document_type, period) do update set next_number = s.next_number + 1, updated_at = now()
       returning s.id, s.next_number - 1 as seq
     ), numbered as (
       select id, ${documentNumberFn(em)}(?, ?::date, seq) as number from series
     ), inv as (
       update ${invoices} i set ${set.sql}, status = ?, number = numbered.number, series_id = numbered.id,
         version = i.version + 1
       from numbered where i.id = ? returning i.id, i.number, i.series_id
     )${nets}, event as (
       ${insertOutboxSql(em, 'inv', `jsonb_set(?::jsonb, '{data,invoice,number}', to_jsonb(inv.number))`)}
     )
     select number, series_id as "seriesId" from inv`,
    [
      write.id,
      write.orgId,
      write.version,
      write.fromStatus,
      newId(),
      write.orgId,
      write.documentType,
      write.period,
      write.pattern,
      write.pattern,
      write.issueDate,
      ...set.params,
      write.toStatus,
      write.id,
      ...(write.nets.length > 0 ? [JSON.stringify(write.nets)] : []),
      write.event.id,
      write.event.subject,
      write.event.payload,
    ],
  );
  const issued = rows[0];
  if (!issued) return null;
  wakeRelays(em);
  return issued;
}
