/**
 * `all_invoices_access` for quotes, as for invoices (see creator-scope.ts): every route under
 * `/v1/quotes/{id}` checks, after its own authentication, that a caller without the permission created
 * the quote; another member's quote answers 404, exactly like another organization's.
 */
import { getAuth } from '@invoice/platform-http';
import type { MikroORM } from '@invoice/platform-db';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { assertQuoteCreatedBy } from '../application/quote-support.ts';
import { creatorFilter } from './creator-scope.ts';

const QUOTE_ROUTE = /^\/v1\/quotes\/:id(\/|$)/;

/** Appends the creator check to the preHandlers of the quote routes (use as an onRoute hook). */
export function scopeQuotesByCreator(orm: MikroORM) {
  const check = async (request: FastifyRequest) => {
    const caller = getAuth(request);
    const only = creatorFilter(caller);
    if (!only) return;
    const { id } = request.params as { id: string };
    await assertQuoteCreatedBy(orm, caller.orgId, id, only);
  };
  return (route: RouteOptions): void => {
    if (!QUOTE_ROUTE.test(route.url)) return;
    const existing = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [...existing, check] as RouteOptions['preHandler'];
  };
}
