/**
 * Request/reply lookups for services whose replica has not caught up (DESIGN §5.2): the same
 * lookups the HTTP routes use, answering null for a missing, deleted or other organization's item.
 * The bus validates each request against its contract (contracts/src/rpc.ts) and answers a malformed
 * one with VALIDATION_FAILED, so the handlers get typed requests.
 */
import { RpcSubjects } from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { findClientSnapshot } from '../application/clients.service.ts';
import { findProductSnapshot } from '../application/products.service.ts';

/** Starts both responders (queue group per subject, so API replicas share requests). */
export function registerResponders(bus: Bus, orm: MikroORM): ReturnType<Bus['respond']>[] {
  return [
    bus.respond(RpcSubjects.CatalogClientGet, async ({ orgId, clientId }) => ({
      client: await findClientSnapshot(orm, orgId, clientId),
    })),
    bus.respond(RpcSubjects.CatalogProductGet, async ({ orgId, productId }) => ({
      product: await findProductSnapshot(orm, orgId, productId),
    })),
  ];
}
