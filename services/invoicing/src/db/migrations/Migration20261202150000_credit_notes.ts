import { Migration } from '@invoice/platform-db';

/**
 * Credit notes: frozen documents with their own number series (`number_series.document_type =
 * 'credit_note'`), the lines and the engine's totals as issued, and the invoice they credit.
 */
export class Migration20261202150000_credit_notes extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    this.addSql(`create table credit_notes (
      id uuid primary key,
      org_id uuid not null,
      invoice_id uuid not null references invoices (id) on delete restrict,
      number text not null,
      series_id uuid not null,
      client_id uuid not null,
      currency text not null,
      issue_date date not null,
      reason text,
      price_mode text not null,
      lines jsonb not null,
      allowances jsonb not null default '[]',
      charges jsonb not null default '[]',
      totals jsonb not null,
      total_gross numeric(19,4) not null,
      vat_breakdown jsonb not null,
      tax_breakdown jsonb not null default '[]',
      seller jsonb not null,
      buyer jsonb not null,
      document_version integer not null default 1,
      issued_at timestamptz not null,
      created_at timestamptz not null default now(),
      unique (org_id, number)
    )`);
    this.addSql(`create index credit_notes_invoice_idx on credit_notes (invoice_id, issued_at, id)`);
    this.addSql(`create index credit_notes_org_idx on credit_notes (org_id, id desc)`);
  }
}
