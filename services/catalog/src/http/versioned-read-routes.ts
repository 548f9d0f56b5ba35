/**
 * The read routes of a versioned resource: list (a page at a time) and get one (with its ETag).
 *
 * Fastify validates query strings and bodies against the resource's schemas, but TypeScript cannot
 * work out the static type of a schema that is a type parameter, so the handlers name it (`as Static`).
 */
import { CatalogIdParamsSchema } from '@invoice/contracts';
import { getAuth, ProblemRef } from '@invoice/platform-http';
import type { FastifyReply } from 'fastify';
import type { Static } from 'typebox';
import { etagFor } from '../domain/concurrency.ts';
import { authProblems, bearer } from './route-schemas.ts';
import type { ApiRow, ResourceSchemas, RouteContext, VersionedRoutesConfig } from './versioned-routes.ts';

/** `GET /`: live rows in creation order, a page at a time. */
export function registerList<Row extends ApiRow, S extends ResourceSchemas>(
  route: RouteContext<Row, S>,
): void {
  const { app, config } = route;
  const { orm } = route.deps;
  app.get(
    '/',
    {
      schema: {
        tags: [config.many],
        summary: `List ${config.many}`,
        description: config.descriptions.list,
        security: bearer,
        querystring: config.schemas.listQuery,
        response: { 200: config.schemas.page, ...authProblems },
      },
    },
    async (request) => {
      const query = request.query as Static<S['listQuery']>; // checked by the route schema
      const page = await config.useCases.list(orm, getAuth(request).orgId, query);
      return { items: page.items.map(config.toApi), nextCursor: page.nextCursor };
    },
  );
}

/** `GET /:id`: one live row with its ETag; 404 otherwise. */
export function registerGet<Row extends ApiRow, S extends ResourceSchemas>(
  route: RouteContext<Row, S>,
): void {
  const { app, config } = route;
  const { orm } = route.deps;
  app.get(
    '/:id',
    {
      schema: {
        tags: [config.many],
        summary: `Get a ${config.one}`,
        security: bearer,
        params: CatalogIdParamsSchema,
        response: { 200: config.schemas.item, ...authProblems, 404: ProblemRef },
      },
    },
    async (request, reply) =>
      withEtag(reply, await config.useCases.get(orm, getAuth(request).orgId, request.params.id), config),
  );
}

/** Sets the ETag of the row's version and returns the row as the API shows it. */
export function withEtag<Row extends ApiRow, S extends ResourceSchemas>(
  reply: FastifyReply,
  row: Row,
  config: VersionedRoutesConfig<Row, S>,
): Static<S['item']> {
  reply.header('etag', etagFor(row.version));
  return config.toApi(row);
}
