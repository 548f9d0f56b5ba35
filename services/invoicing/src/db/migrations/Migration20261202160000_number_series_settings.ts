import { Migration } from '@invoice/platform-db';

/**
 * Number series settings per organization and document type (pattern and reset period), and the ONE
 * formatter of document numbers, `document_number(pattern, issue_date, sequence)`: the issue statement,
 * credit notes and the next-number preview all call it, so a number is never formatted twice.
 * `number_series` stays the counter table (one row per period: '', 'YYYY' or 'YYYY-MM').
 */
export class Migration20261202160000_number_series_settings extends Migration {
  override async up(): Promise<void> {
    this.addSql('set local search_path to "invoicing"');
    this.addSql(`create table number_series_settings (
      org_id uuid not null,
      document_type text not null check (document_type in ('invoice', 'credit_note')),
      pattern text not null,
      reset text not null check (reset in ('never', 'yearly', 'monthly')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (org_id, document_type)
    )`);
    // {YYYY}, {YY} and {MM} of the issue date; {SEQ:n} the sequence zero-padded to n digits (longer
    // sequences keep all their digits). Patterns are validated by the service before they are stored.
    this.addSql(`create function document_number(pattern text, issue_date date, sequence bigint) returns text
      language sql immutable strict parallel safe as $$
        select replace(
          replace(replace(replace(pattern, '{YYYY}', to_char(issue_date, 'YYYY')), '{YY}', to_char(issue_date, 'YY')),
            '{MM}', to_char(issue_date, 'MM')),
          (regexp_match(pattern, '\\{SEQ:[0-9]+\\}'))[1],
          lpad(sequence::text, greatest((regexp_match(pattern, '\\{SEQ:([0-9]+)\\}'))[1]::int, length(sequence::text)), '0'))
      $$`);
  }
}
