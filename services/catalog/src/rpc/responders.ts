/**
 * Request/reply lookups for services whose replica has not caught up (DESIGN §5.2): the same
 * lookups the HTTP routes use, answering null for a missing, deleted or other organization's item.
 * The bus validates each request against its contract (contracts/src/rpc.ts) and answers a malformed
 * one with VALIDATION_FAILED, so the handlers get typed requests.
 */
import { RpcSubjects } from '@invoice/contracts';
import { findClientSnapshot } from '../application/clients.service.ts';
import { findProductSnapshot } from '../application/products.service.ts';
import type { Deps } from '../deps.ts';

/**
 * Starts both responders (queue group per subject, so API replicas share requests); run with the
 * `api` role. They end when the bus closes.
 */
export function responders({ bus, orm }: Pick<Deps, 'bus' | 'orm'>): void {
  bus.respond(RpcSubjects.CatalogClientGet, async ({ orgId, clientId }) => ({
    client: await findClientSnapshot(orm, orgId, clientId),
  }));
  bus.respond(RpcSubjects.CatalogProductGet, async ({ orgId, productId }) => ({
    product: await findProductSnapshot(orm, orgId, productId),
  }));
}
