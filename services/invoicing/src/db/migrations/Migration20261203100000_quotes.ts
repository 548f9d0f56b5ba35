import { Migration } from '@invoice/platform-db';

/**
 * Quotes: drafts priced by the same engine as invoices (lines kept as one JSON array, the engine's
 * totals as JSON), numbered from their own series (`quote`) when first sent, and decided (accepted,
 * declined, expired) with who and when. An invoice converted from a quote names it in `quote_id`,
 * unique: however many converts race, one invoice per quote.
 */
export class Migration20261203100000_quotes extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    this.addSql(`create table quotes (
      id uuid primary key,
      org_id uuid not null,
      status text not null check (status in ('draft', 'sent', 'accepted', 'declined', 'expired', 'converted')),
      number text,
      series_id uuid,
      client_id uuid not null,
      currency text not null,
      issue_date date not null,
      valid_until date not null,
      payment_method text,
      notes text,
      price_mode text not null,
      allowances jsonb not null default '[]',
      charges jsonb not null default '[]',
      lines jsonb not null default '[]',
      totals jsonb not null,
      vat_breakdown jsonb not null default '[]',
      tax_breakdown jsonb not null default '[]',
      seller jsonb,
      buyer jsonb,
      version integer not null default 1,
      document_version integer,
      sent_at timestamptz,
      accepted_at timestamptz,
      accepted_by uuid,
      declined_at timestamptz,
      declined_by uuid,
      decline_reason text,
      expired_at timestamptz,
      converted_at timestamptz,
      converted_by uuid,
      invoice_id uuid,
      created_by uuid,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (org_id, number),
      check (valid_until >= issue_date)
    )`);
    this.addSql(`create index quotes_org_idx on quotes (org_id, id desc)`);
    this.addSql(`create index quotes_org_status_idx on quotes (org_id, status, id desc)`);
    this.addSql(`create index quotes_org_client_idx on quotes (org_id, client_id, id desc)`);
    this.addSql(`create index quotes_org_creator_idx on quotes (org_id, created_by, id desc)`);
    // The expiry job reads only sent quotes past their validity.
    this.addSql(`create index quotes_sent_valid_until_idx on quotes (valid_until) where status = 'sent'`);
    this.addSql(`alter table invoices add column quote_id uuid references quotes (id)`);
    this.addSql(
      `create unique index invoices_quote_id_key on invoices (quote_id) where quote_id is not null`,
    );
    this.addSql(
      `alter table number_series_settings drop constraint number_series_settings_document_type_check`,
    );
    this.addSql(`alter table number_series_settings add constraint number_series_settings_document_type_check
      check (document_type in ('invoice', 'credit_note', 'quote'))`);
  }
}
