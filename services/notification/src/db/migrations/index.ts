import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init.ts';

/** Committed migrations, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
];
