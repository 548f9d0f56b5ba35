/** `/v1/clients`: thin handlers over the client use cases. Any member may write (see domain/permissions). */
import {
  AppError,
  ClientCreateSchema,
  ClientListQuerySchema,
  ClientPageSchema,
  ClientPatchSchema,
  ClientSchema,
} from '@invoice/contracts';
import { getAuth } from '@invoice/platform-http';
import type { FastifyRequest } from 'fastify';
import { toClient } from '../application/client.mapper.ts';
import {
  createClient,
  deleteClient,
  getClient,
  listClients,
  updateClient,
} from '../application/clients.service.ts';
import { canManageClients } from '../domain/permissions.ts';
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
    writerOnly,
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

async function writerOnly(request: FastifyRequest): Promise<void> {
  if (!canManageClients(getAuth(request))) throw new AppError('FORBIDDEN');
}
