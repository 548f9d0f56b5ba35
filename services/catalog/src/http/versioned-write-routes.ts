/**
 * The write routes of a versioned resource: create (honours Idempotency-Key), change and soft
 * delete (both honour If-Match). Each checks the resource's write guard (if any) before the body.
 *
 * Fastify validates query strings and bodies against the resource's schemas, but TypeScript cannot
 * work out the static type of a schema that is a type parameter, so the handlers name it (`as Static`).
 */
import { CatalogIdParamsSchema } from '@invoice/contracts';
import { getAuth, IdempotencyHeadersSchema, ProblemRef } from '@invoice/platform-http';
import type { FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { authProblems, bearer, IfMatchHeadersSchema, NoContentSchema } from './route-schemas.ts';
import { withEtag } from './versioned-read-routes.ts';
import type { ApiRow, ResourceSchemas, RouteContext } from './versioned-routes.ts';

/** The write guard as a preValidation hook, when the resource has one. */
function guard(config: { writerOnly?: (request: FastifyRequest) => Promise<void> }) {
  return config.writerOnly ? { preValidation: config.writerOnly } : {};
}

/** 403 is documented only where a guard can refuse. */
function forbidden(config: { writerOnly?: unknown }) {
  return config.writerOnly ? { 403: ProblemRef } : {};
}

/** `POST /`: creates a row (201, Location, ETag). */
export function registerCreate<Row extends ApiRow, S extends ResourceSchemas>(
  route: RouteContext<Row, S>,
): void {
  const { app, config } = route;
  const { orm, idempotent } = route.deps;
  app.post(
    '/',
    {
      ...guard(config),
      preHandler: idempotent,
      schema: {
        tags: [config.many],
        summary: `Create a ${config.one}`,
        security: bearer,
        headers: IdempotencyHeadersSchema,
        body: config.schemas.create,
        // 409: the same Idempotency-Key is still in flight; 422: it was used with another body.
        response: {
          201: config.schemas.item,
          ...authProblems,
          ...forbidden(config),
          409: ProblemRef,
          422: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      const body = request.body as Static<S['create']>; // checked by the route schema
      const row = await config.useCases.create(orm, getAuth(request).orgId, body);
      request.log.info({ [`${config.one}Id`]: row.id, version: row.version }, `${config.one} created`);
      reply.header('location', `/v1/${config.many}/${row.id}`);
      return withEtag(reply.status(201), row, config);
    },
  );
}

/** `PATCH /:id`: changes the fields sent (200 with the new ETag). */
export function registerPatch<Row extends ApiRow, S extends ResourceSchemas>(
  route: RouteContext<Row, S>,
): void {
  const { app, config } = route;
  const { orm } = route.deps;
  const conflict = config.patchMayConflict ? { 409: ProblemRef } : {};
  app.patch(
    '/:id',
    {
      ...guard(config),
      schema: {
        tags: [config.many],
        summary: `Change a ${config.one}`,
        description: 'Send only the fields to change; `null` clears an optional field. Honours `If-Match`.',
        security: bearer,
        params: CatalogIdParamsSchema,
        headers: IfMatchHeadersSchema,
        body: config.schemas.patch,
        response: {
          200: config.schemas.item,
          ...authProblems,
          ...forbidden(config),
          404: ProblemRef,
          ...conflict,
          412: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      const { orgId } = getAuth(request);
      const ifMatch = request.headers['if-match'];
      const patch = request.body as Static<S['patch']>; // checked by the route schema
      const row = await config.useCases.update(orm, orgId, request.params.id, patch, ifMatch);
      request.log.info({ [`${config.one}Id`]: row.id, version: row.version }, `${config.one} updated`);
      return withEtag(reply, row, config);
    },
  );
}

/** `DELETE /:id`: soft-deletes the row (204). */
export function registerDelete<Row extends ApiRow, S extends ResourceSchemas>(
  route: RouteContext<Row, S>,
): void {
  const { app, config } = route;
  const { orm } = route.deps;
  app.delete(
    '/:id',
    {
      ...guard(config),
      schema: {
        tags: [config.many],
        summary: `Delete a ${config.one}`,
        description: config.descriptions.remove,
        security: bearer,
        params: CatalogIdParamsSchema,
        headers: IfMatchHeadersSchema,
        response: {
          204: NoContentSchema,
          ...authProblems,
          ...forbidden(config),
          404: ProblemRef,
          412: ProblemRef,
        },
      },
    },
    async (request, reply) => {
      const { orgId } = getAuth(request);
      await config.useCases.remove(orm, orgId, request.params.id, request.headers['if-match']);
      request.log.info({ [`${config.one}Id`]: request.params.id }, `${config.one} deleted`);
      return reply.status(204).send(null);
    },
  );
}
