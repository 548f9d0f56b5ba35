/** What every consumer of the service needs. */
import type { MikroORM } from '@invoice/platform-db';

export interface ConsumerDeps {
  orm: MikroORM;
}
