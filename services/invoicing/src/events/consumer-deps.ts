/** What every consumer of the service needs. */
import type { MikroORM } from '@invoice/platform-db';
import type { ReplicaLookup } from '../application/replica-lookup.ts';

export interface ConsumerDeps {
  orm: MikroORM;
  /** Asks auth for an organization when an event's version cannot be trusted. */
  replicas: Pick<ReplicaLookup, 'fetchOrganization'>;
}
