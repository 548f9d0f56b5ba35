/**
 * `all_invoices_access`: without it a member sees and acts only on the documents they created.
 * Every route under `/v1/invoices/{id}` and `/v1/credit-notes/{id}` gets this check after its own
 * authentication (appended by an onRoute hook in app.ts): another member's document answers 404,
 * exactly like another organization's. Lists filter by creator in the query (see queries.ts).
 */
import { hasPermission, getAuth, type AuthContext } from '@invoice/platform-http';
import type { MikroORM } from '@invoice/platform-db';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { assertCreatedBy } from '../application/creators.ts';

/** The user a list must be limited to, or undefined when the caller sees every document. */
export function creatorFilter(caller: AuthContext): string | undefined {
  return hasPermission(caller, 'all_invoices_access') ? undefined : caller.userId;
}

const INVOICE_ROUTE = /^\/v1\/invoices\/:id(\/|$)/;
const CREDIT_NOTE_ROUTE = /^\/v1\/credit-notes\/:id(\/|$)/;

/** Appends the creator check to the preHandlers of the routes it concerns (use as an onRoute hook). */
export function scopeByCreator(orm: MikroORM) {
  const check = (kind: 'invoice' | 'credit-note') => async (request: FastifyRequest) => {
    const caller = getAuth(request);
    const only = creatorFilter(caller);
    if (!only) return;
    const { id } = request.params as { id: string };
    await assertCreatedBy(orm, kind, caller.orgId, id, only);
  };
  const invoice = check('invoice');
  const creditNote = check('credit-note');
  return (route: RouteOptions): void => {
    const url = route.url;
    const hook = INVOICE_ROUTE.test(url) ? invoice : CREDIT_NOTE_ROUTE.test(url) ? creditNote : undefined;
    if (!hook) return;
    const existing = route.preHandler ? [route.preHandler].flat() : [];
    route.preHandler = [...existing, hook] as RouteOptions['preHandler'];
  };
}
