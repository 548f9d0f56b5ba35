/** Number series settings: read with the next number, and change (never reusing a number). */
import type { NumberSeries, PutNumberSeriesBody } from '@invoice/contracts';
import { inTransaction, type EntityManager } from '@invoice/platform-db';
import { assertValidSeries, DOCUMENT_TYPES, resolveSeries, type DocumentType } from '../domain/numbering.ts';
import type { UseCaseDeps } from '../deps.ts';
import { lockSeriesSettings, previewNext, readSeries, saveSettings } from '../db/number-series.repository.ts';

const today = () => new Date().toISOString().slice(0, 10);

async function view(
  em: EntityManager,
  orgId: string,
  type: DocumentType,
  date: string,
): Promise<NumberSeries> {
  const stored = await readSeries(em, orgId, type);
  const series = resolveSeries(type, stored.settings, stored.legacyPrefix);
  const next = await previewNext(em, orgId, type, series, date);
  return {
    documentType: type,
    pattern: series.pattern,
    reset: series.reset,
    nextNumber: next.number,
    nextSequence: next.sequence,
    nextNumberDate: date,
    custom: stored.settings !== null,
    updatedAt: stored.updatedAt ? stored.updatedAt.toISOString() : null,
  };
}

/** Every series of the organization, with the next number for `date` (default today). */
export async function listNumberSeries(
  deps: UseCaseDeps,
  orgId: string,
  date = today(),
): Promise<NumberSeries[]> {
  const em = deps.orm.em.fork();
  const items: NumberSeries[] = [];
  for (const type of DOCUMENT_TYPES) items.push(await view(em, orgId, type, date));
  return items;
}

/** One series with the next number for `date` (default today). */
export function getNumberSeries(
  deps: UseCaseDeps,
  orgId: string,
  type: DocumentType,
  date = today(),
): Promise<NumberSeries> {
  return view(deps.orm.em.fork(), orgId, type, date);
}

/**
 * Sets a series' pattern and reset period. The counter it draws from today continues where the
 * series in force stopped, so changing the pattern mid-year never repeats a number.
 */
export async function putNumberSeries(
  deps: UseCaseDeps,
  orgId: string,
  type: DocumentType,
  body: PutNumberSeriesBody,
): Promise<NumberSeries> {
  assertValidSeries(body);
  const date = today();
  const series = await inTransaction(deps.orm, async (em) => {
    await lockSeriesSettings(em, orgId, type);
    const stored = await readSeries(em, orgId, type);
    const current = resolveSeries(type, stored.settings, stored.legacyPrefix);
    await saveSettings(em, orgId, type, body, current, date);
    return view(em, orgId, type, date);
  });
  deps.logger.info({ orgId, documentType: type, reset: body.reset }, 'number series changed');
  return series;
}
