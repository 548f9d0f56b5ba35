import { Migration } from '@invoice/platform-db';

/**
 * Payments, refunds and void: a payment row per receipt (a reversal marks it, never deletes it), its
 * refunds, and on the invoice the running sums the due amount is derived from (`total_paid`,
 * `total_credited`, `credit_balance`) plus the void reason and the settlement timestamps.
 */
export class Migration20261202140000_payments_void extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    for (const sql of [
      `alter table invoices
         add column total_paid numeric(19,4) not null default 0,
         add column total_credited numeric(19,4) not null default 0,
         add column credit_balance numeric(19,4) not null default 0 check (credit_balance >= 0),
         add column paid_at timestamptz,
         add column voided_at timestamptz,
         add column void_reason text`,
      `create table payments (
        id uuid primary key,
        org_id uuid not null,
        invoice_id uuid not null references invoices (id) on delete restrict,
        amount numeric(19,4) not null check (amount > 0),
        credit_balance numeric(19,4) not null default 0 check (credit_balance >= 0 and credit_balance <= amount),
        refunded numeric(19,4) not null default 0 check (refunded >= 0 and refunded <= amount),
        date date not null,
        method text not null,
        reference text,
        note text,
        reversed_at timestamptz,
        reversal_reason text,
        created_at timestamptz not null default now(),
        check ((reversed_at is null) = (reversal_reason is null))
      )`,
      `create index payments_invoice_idx on payments (invoice_id, created_at, id)`,
      `create table payment_refunds (
        id uuid primary key,
        org_id uuid not null,
        payment_id uuid not null references payments (id) on delete restrict,
        amount numeric(19,4) not null check (amount > 0),
        date date not null,
        reference text,
        note text,
        created_at timestamptz not null default now()
      )`,
      `create index payment_refunds_payment_idx on payment_refunds (payment_id, created_at, id)`,
    ]) {
      this.addSql(sql);
    }
  }
}
