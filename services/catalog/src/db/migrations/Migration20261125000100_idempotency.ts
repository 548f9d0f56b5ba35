import { idempotencyTableSql, Migration } from '@invoice/platform-db';

/** Stored outcomes of `Idempotency-Key` POSTs (platform-http's idempotency, Postgres store). */
export class Migration20261125000100_idempotency extends Migration {
  override async up(): Promise<void> {
    for (const sql of idempotencyTableSql()) this.addSql(sql);
  }
}
