/**
 * Number series in explicit SQL: settings (`number_series_settings`), counters (`number_series`, one
 * row per organization, document type and period) and the formatter `document_number(pattern, date,
 * sequence)`, the only place a number is formatted. A number is drawn by an upsert of its counter row:
 * created on first use, otherwise incremented under the row lock that the drawing statement (or its
 * transaction) holds until it commits, so numbers are gapless and unique under concurrency and a
 * rolled-back document uses none.
 */
import { AppError, newId } from '@invoice/contracts';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { qualified, type EntityManager } from '@invoice/platform-db';
import {
  seriesPeriod,
  type DocumentType,
  type ResetPeriod,
  type SeriesSettings,
} from '../domain/numbering.ts';

/** `"schema".document_number`: the formatter, schema-qualified like every table. */
export function documentNumberFn(em: EntityManager): string {
  return qualified(em, 'document_number');
}

/** A series' stored state: its settings (null until set) and the prefix of its latest counter (legacy). */
export interface StoredSeries {
  settings: SeriesSettings | null;
  legacyPrefix: string | null;
  updatedAt: Date | null;
}

/** SQL of a subselect giving `[pattern, reset]` of a series' settings (or null), for `org` and `type`. */
export function settingsJsonSql(em: EntityManager, org: string, type: string): string {
  return `(select json_build_array(ns.pattern, ns.reset) from ${qualified(em, 'number_series_settings')} ns
    where ns.org_id = ${org} and ns.document_type = ${type})`;
}

/** SQL of a subselect giving the prefix of a series' latest counter (or null). */
export function legacyPrefixSql(em: EntityManager, org: string, type: string): string {
  return `(select s.prefix from ${qualified(em, 'number_series')} s where s.org_id = ${org} and s.document_type = ${type}
    order by s.created_at desc limit 1)`;
}

/** The settings read with {@link settingsJsonSql}. */
export function toSettings(json: unknown): SeriesSettings | null {
  const value = (typeof json === 'string' ? JSON.parse(json) : json) as [string, ResetPeriod] | null;
  return value ? { pattern: value[0], reset: value[1] } : null;
}

/** The stored state of one series. */
export async function readSeries(
  em: EntityManager,
  orgId: string,
  type: DocumentType,
): Promise<StoredSeries> {
  const rows = await em.execute<
    { settings: unknown; legacyPrefix: string | null; updatedAt: string | null }[]
  >(
    `select ${settingsJsonSql(em, '?', '?')} as settings, ${legacyPrefixSql(em, '?', '?')} as "legacyPrefix",
       (select updated_at from ${qualified(em, 'number_series_settings')} where org_id = ? and document_type = ?) as "updatedAt"`,
    [orgId, type, orgId, type, orgId, type],
  );
  const row = rows[0];
  return {
    settings: toSettings(row?.settings ?? null),
    legacyPrefix: row?.legacyPrefix ?? null,
    updatedAt: row?.updatedAt ? new Date(row.updatedAt) : null,
  };
}

/** Serializes changes of one series' settings until the caller's transaction ends. */
export async function lockSeriesSettings(
  em: EntityManager,
  orgId: string,
  type: DocumentType,
): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtextextended(? || ':' || ?, 0))`, [orgId, type]);
}

/** Draws and formats the next number of a series for a document of `issueDate` (in the caller's transaction). */
export async function drawNumber(
  em: EntityManager,
  orgId: string,
  type: DocumentType,
  series: SeriesSettings,
  issueDate: string,
): Promise<{ seriesId: string; number: string }> {
  const rows = await em.execute<{ seriesId: string; number: string }[]>(
    `with series as (
       insert into ${qualified(em, 'number_series')} as s (id, org_id, document_type, period, prefix, next_number)
       values (?, ?, ?, ?, ?, 2)
       on conflict (org_id, document_type, period) do update set next_number = s.next_number + 1, updated_at = now()
       returning s.id, s.next_number - 1 as seq
     )
     select id as "seriesId", ${documentNumberFn(em)}(?, ?::date, seq) as number from series`,
    [newId(), orgId, type, seriesPeriod(series.reset, issueDate), series.pattern, series.pattern, issueDate],
  );
  const drawn = rows[0];
  if (!drawn) throw new Error('drawing a number returned no series row');
  return drawn;
}

/** The sequence and number the next document of `date` would get (nothing is drawn). */
export async function previewNext(
  em: EntityManager,
  orgId: string,
  type: DocumentType,
  series: SeriesSettings,
  date: string,
): Promise<{ sequence: number; number: string }> {
  const rows = await em.execute<{ sequence: string; number: string }[]>(
    `select next.seq::text as sequence, ${documentNumberFn(em)}(?, ?::date, next.seq) as number
     from (select coalesce((select next_number from ${qualified(em, 'number_series')}
       where org_id = ? and document_type = ? and period = ?), 1) as seq) next`,
    [series.pattern, date, orgId, type, seriesPeriod(series.reset, date)],
  );
  const row = rows[0];
  if (!row) throw new Error('previewing a number returned nothing');
  return { sequence: Number(row.sequence), number: row.number };
}

/**
 * Stores new settings (in the caller's transaction). So that no number comes back, the counter the new
 * settings draw from today continues at least where the counter of the settings in force stopped.
 */
export async function saveSettings(
  em: EntityManager,
  orgId: string,
  type: DocumentType,
  next: SeriesSettings,
  current: SeriesSettings,
  today: string,
): Promise<void> {
  const settings = qualified(em, 'number_series_settings');
  const counters = qualified(em, 'number_series');
  await em.execute(
    `insert into ${settings} as ns (org_id, document_type, pattern, reset) values (?, ?, ?, ?)
     on conflict (org_id, document_type) do update set pattern = excluded.pattern, reset = excluded.reset, updated_at = now()`,
    [orgId, type, next.pattern, next.reset],
  );
  const from = seriesPeriod(current.reset, today);
  const to = seriesPeriod(next.reset, today);
  if (from === to) return;
  await em.execute(
    `insert into ${counters} as s (id, org_id, document_type, period, prefix, next_number)
     select ?, ?, ?, ?, ?, coalesce((select next_number from ${counters}
       where org_id = ? and document_type = ? and period = ? for update), 1)
     on conflict (org_id, document_type, period) do update set next_number = greatest(s.next_number, excluded.next_number),
       updated_at = now()`,
    [newId(), orgId, type, to, next.pattern, orgId, type, from],
  );
}

/**
 * NUMBER_TAKEN for a write refused because its drawn number is already used (only after a series
 * change whose literals reproduce an older number); the statement rolled back, so nothing was used up.
 */
export function numberTakenOr(error: unknown): unknown {
  const taken =
    error instanceof UniqueConstraintViolationException &&
    /invoices_number_key|credit_notes_org_id_number_key/.test(error.message);
  return taken
    ? new AppError('NUMBER_TAKEN', { detail: 'Change the number series so that it gives new numbers' })
    : error;
}
