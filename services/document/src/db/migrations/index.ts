import { Migration20261125000000_init } from './Migration20261125000000_init.ts';

/** Committed migrations, oldest first. */
export const migrations = [{ name: 'Migration20261125000000_init', class: Migration20261125000000_init }];
