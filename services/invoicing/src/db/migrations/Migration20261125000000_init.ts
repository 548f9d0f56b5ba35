import { idempotencyTableSql, Migration } from '@invoice/platform-db';
import { outboxTablesSql } from '@invoice/platform-outbox';

/**
 * The invoicing schema: invoices and their lines, number series, replicas of clients, products and
 * the seller organization, idempotency keys, and the outbox/inbox. Money is numeric(19,4); quantities
 * and unit prices numeric(21,6) (the API allows 15 integer and 6 fraction digits); rates numeric(9,6).
 */
export class Migration20261125000000_init extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    for (const sql of [
      ...invoiceSql(),
      ...seriesSql(),
      ...replicaSql(),
      ...idempotencyTableSql(),
      ...outboxTablesSql(),
    ]) {
      this.addSql(sql);
    }
  }
}

const money = 'numeric(19,4) not null';

function invoiceSql(): string[] {
  return [
    `create table invoices (
      id uuid primary key,
      org_id uuid not null,
      type text not null default 'invoice' check (type in ('invoice', 'credit_note', 'quote')),
      status text not null check (status in ('draft', 'issued', 'partially_paid', 'paid', 'overdue', 'void')),
      number text,
      series_id uuid,
      client_id uuid not null,
      currency text not null check (currency ~ '^[A-Z]{3}$'),
      issue_date date not null,
      due_date date not null check (due_date >= issue_date),
      payment_terms_days integer check (payment_terms_days >= 0),
      payment_method text,
      notes text,
      price_mode text not null default 'net' check (price_mode in ('net', 'gross')),
      allowances jsonb not null default '[]',
      charges jsonb not null default '[]',
      prepaid numeric(19,4),
      total_line_net ${money},
      total_allowances ${money},
      total_charges ${money},
      total_net ${money},
      total_vat ${money},
      total_other_tax ${money},
      total_gross ${money},
      total_prepaid ${money},
      total_rounding ${money},
      total_due ${money},
      vat_breakdown jsonb not null default '[]',
      tax_breakdown jsonb not null default '[]',
      seller jsonb,
      buyer jsonb,
      version integer not null default 1 check (version >= 1),
      document_version integer,
      issued_at timestamptz,
      last_sent_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((status = 'draft') = (number is null))
    )`,
    // Numbers are unique per organization and document type (gapless is the issue transaction's job).
    `create unique index invoices_number_key on invoices (org_id, type, number) where number is not null`,
    `create index invoices_org_idx on invoices (org_id, id desc)`,
    `create index invoices_org_status_idx on invoices (org_id, status, id desc)`,
    `create index invoices_org_client_idx on invoices (org_id, client_id, id desc)`,
    `create index invoices_org_issue_date_idx on invoices (org_id, issue_date)`,
    `create table invoice_lines (
      invoice_id uuid not null references invoices (id) on delete cascade,
      position integer not null check (position >= 1),
      product_id uuid,
      description text not null,
      quantity numeric(21,6) not null,
      unit_code text not null,
      unit_price numeric(21,6) not null,
      price_base_quantity numeric(21,6),
      gross_unit_price numeric(21,6),
      allowances jsonb not null default '[]',
      charges jsonb not null default '[]',
      vat_category text not null,
      vat_rate numeric(9,6),
      vat_exemption_reason text,
      vat_exemption_reason_code text,
      taxes jsonb not null default '[]',
      net ${money},
      primary key (invoice_id, position)
    )`,
  ];
}

function seriesSql(): string[] {
  return [
    `create table number_series (
      id uuid primary key,
      org_id uuid not null,
      document_type text not null,
      period text not null default '',
      prefix text not null,
      next_number bigint not null default 1 check (next_number >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (org_id, document_type, period)
    )`,
  ];
}

function replicaSql(): string[] {
  return [
    `create table client_replicas (
      org_id uuid not null,
      id uuid not null,
      version integer not null,
      data jsonb,
      deleted_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    )`,
    `create table product_replicas (
      org_id uuid not null,
      id uuid not null,
      version integer not null,
      data jsonb,
      deleted_at timestamptz,
      updated_at timestamptz not null default now(),
      primary key (org_id, id)
    )`,
    `create table organization_replicas (
      id uuid primary key,
      version integer not null,
      data jsonb not null,
      updated_at timestamptz not null default now()
    )`,
  ];
}
