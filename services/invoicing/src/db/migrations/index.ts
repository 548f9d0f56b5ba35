import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init.ts';
import { Migration20261202000000_list_indexes } from './Migration20261202000000_list_indexes.ts';

/** Committed migrations, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
  { name: 'Migration20261202000000_list_indexes', class: Migration20261202000000_list_indexes },
];
