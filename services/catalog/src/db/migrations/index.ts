import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init.ts';
import { Migration20261125000100_idempotency } from './Migration20261125000100_idempotency.ts';
import { Migration20261202000000_categories } from './Migration20261202000000_categories.ts';
import { Migration20261202000100_client_fields } from './Migration20261202000100_client_fields.ts';
import { Migration20261203000000_imports } from './Migration20261203000000_imports.ts';

/** Committed migrations of the catalog schema, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
  { name: 'Migration20261125000100_idempotency', class: Migration20261125000100_idempotency },
  { name: 'Migration20261202000000_categories', class: Migration20261202000000_categories },
  { name: 'Migration20261202000100_client_fields', class: Migration20261202000100_client_fields },
  { name: 'Migration20261203000000_imports', class: Migration20261203000000_imports },
];
