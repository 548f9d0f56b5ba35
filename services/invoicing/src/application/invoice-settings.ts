/** The organization's invoice settings: reminder policy and payment receipts. */
import type { InvoiceSettings, PutInvoiceSettingsBody } from '@invoice/contracts';
import { DEFAULT_REMINDER_POLICY } from '../domain/reminders.ts';
import type { UseCaseDeps } from '../deps.ts';
import { findInvoiceSettings, saveInvoiceSettings } from '../db/invoice-settings.repository.ts';

/** The settings in force (the defaults until the organization sets its own). */
export async function getInvoiceSettings(deps: UseCaseDeps, orgId: string): Promise<InvoiceSettings> {
  const row = await findInvoiceSettings(deps.orm.em.fork(), orgId);
  if (!row) return { reminders: DEFAULT_REMINDER_POLICY, paymentReceipts: false, updatedAt: null };
  return {
    reminders: row.reminders,
    paymentReceipts: row.paymentReceipts,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Replaces the organization's settings. */
export async function putInvoiceSettings(
  deps: UseCaseDeps,
  orgId: string,
  body: PutInvoiceSettingsBody,
): Promise<InvoiceSettings> {
  await saveInvoiceSettings(deps.orm.em.fork(), orgId, body);
  deps.logger.info(
    { orgId, reminders: body.reminders.enabled, receipts: body.paymentReceipts },
    'invoice settings changed',
  );
  return getInvoiceSettings(deps, orgId);
}
