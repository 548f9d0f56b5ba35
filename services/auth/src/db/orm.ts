import { createOrm, type MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import { entities, migrations } from './index.ts';

/** Opens the ORM on the `auth` schema. */
export function openAuthOrm(url: string, logger?: Logger): Promise<MikroORM> {
  return createOrm({ url, schema: 'auth', entities, migrations, ...(logger ? { logger } : {}) });
}
