import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_init } from './Migration20261125000000_init.ts';
import { Migration20261202140000_teams } from './Migration20261202140000_teams.ts';
import { Migration20261202150000_api_keys } from './Migration20261202150000_api_keys.ts';

/** Committed migrations of the auth schema, oldest first. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_init', class: Migration20261125000000_init },
  { name: 'Migration20261202140000_teams', class: Migration20261202140000_teams },
  { name: 'Migration20261202150000_api_keys', class: Migration20261202150000_api_keys },
];
