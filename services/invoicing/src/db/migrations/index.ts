import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init.ts';
import { Migration20261202000000_list_indexes } from './Migration20261202000000_list_indexes.ts';
import { Migration20261202140000_payments_void } from './Migration20261202140000_payments_void.ts';
import { Migration20261202150000_credit_notes } from './Migration20261202150000_credit_notes.ts';
import { Migration20261202160000_number_series_settings } from './Migration20261202160000_number_series_settings.ts';
import { Migration20261202170000_overdue_reminders } from './Migration20261202170000_overdue_reminders.ts';
import { Migration20261202190000_invoice_creator } from './Migration20261202190000_invoice_creator.ts';
import { Migration20261202200000_line_attributes } from './Migration20261202200000_line_attributes.ts';
import { Migration20261203100000_quotes } from './Migration20261203100000_quotes.ts';
import { Migration20261203100000_recurring_invoices } from './Migration20261203100000_recurring_invoices.ts';

/** Committed migrations, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
  { name: 'Migration20261202000000_list_indexes', class: Migration20261202000000_list_indexes },
  { name: 'Migration20261202140000_payments_void', class: Migration20261202140000_payments_void },
  { name: 'Migration20261202150000_credit_notes', class: Migration20261202150000_credit_notes },
  {
    name: 'Migration20261202160000_number_series_settings',
    class: Migration20261202160000_number_series_settings,
  },
  { name: 'Migration20261202170000_overdue_reminders', class: Migration20261202170000_overdue_reminders },
  { name: 'Migration20261202190000_invoice_creator', class: Migration20261202190000_invoice_creator },
  { name: 'Migration20261202200000_line_attributes', class: Migration20261202200000_line_attributes },
  { name: 'Migration20261203100000_quotes', class: Migration20261203100000_quotes },
  {
    name: 'Migration20261203100000_recurring_invoices',
    class: Migration20261203100000_recurring_invoices,
  },
];
