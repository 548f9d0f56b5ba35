/** `/v1/clients`: thin handlers over the client use cases. Any member may write (no write guard, no 403). */
import {
  ClientCreateSchema,
  ClientListQuerySchema,
  ClientPageSchema,
  ClientPatchSchema,
  ClientSchema,
} from '@invoice/contracts';
import { toClient } from '../application/client.mapper.ts';
import {
  createClient,
  deleteClient,
  getClient,
  listClients,
  updateClient,
} from '../application/clients.service.ts';
import { versionedRoutes, type VersionedRoutesDeps } from './versioned-routes.ts';

/** What the client routes need. */
export type ClientRoutesDeps = VersionedRoutesDeps;

/** Registers the client routes (mount with prefix `/v1/clients`). */
export function clientsRoutes(deps: ClientRoutesDeps) {
  return versionedRoutes(deps, {
    one: 'client',
    many: 'clients',
    schemas: {
      item: ClientSchema,
      page: ClientPageSchema,
      listQuery: ClientListQuerySchema,
      create: ClientCreateSchema,
      patch: ClientPatchSchema,
    },
    descriptions: {
      list: 'Live clients in creation order, a page at a time; `q` matches part of the name.',
      remove: 'Soft delete: the client leaves lists and lookups; issued invoices keep their copy.',
    },
    toApi: toClient,
    useCases: {
      list: listClients,
      get: getClient,
      create: createClient,
      update: updateClient,
      remove: deleteClient,
    },
  });
}
