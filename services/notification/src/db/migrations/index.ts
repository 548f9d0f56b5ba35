import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init.ts';
import { Migration20261202170000_email_creator } from './Migration20261202170000_email_creator.ts';

/** Committed migrations, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
  { name: 'Migration20261202170000_email_creator', class: Migration20261202170000_email_creator },
];
