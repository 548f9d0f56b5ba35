/**
 * The five routes every catalog resource has: list, create (Idempotency-Key), get (ETag), change
 * (If-Match) and soft delete (If-Match). A resource passes its names, schemas, optional write guard,
 * API mapper and use cases; the handlers (versioned-read-routes.ts, versioned-write-routes.ts) stay thin.
 */
import type { MikroORM } from '@invoice/platform-db';
import { requireAuth, type App, type JwtVerifier } from '@invoice/platform-http';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Static, TSchema } from 'typebox';
import type { Page } from '../application/paging.ts';
import { registerGet, registerList } from './versioned-read-routes.ts';
import { registerCreate, registerDelete, registerPatch } from './versioned-write-routes.ts';

/** What the routes of a resource need. */
export interface VersionedRoutesDeps {
  orm: MikroORM;
  verifyToken: JwtVerifier;
  /** Idempotency-Key handling for the create route (from registerIdempotency). */
  idempotent: preHandlerAsyncHookHandler;
}

/** What the routes read from a row: its id (Location, logs) and version (ETag). */
export interface ApiRow {
  id: string;
  version: number;
}

/** The request and response schemas of one resource. */
export interface ResourceSchemas {
  item: TSchema;
  page: TSchema;
  listQuery: TSchema;
  create: TSchema;
  patch: TSchema;
}

/** The use cases behind the routes (the `*.service.ts` functions). */
export interface ResourceUseCases<Row, S extends ResourceSchemas> {
  list: (orm: MikroORM, orgId: string, query: Static<S['listQuery']>) => Promise<Page<Row>>;
  get: (orm: MikroORM, orgId: string, id: string) => Promise<Row>;
  create: (orm: MikroORM, orgId: string, body: Static<S['create']>) => Promise<Row>;
  update: (
    orm: MikroORM,
    orgId: string,
    id: string,
    patch: Static<S['patch']>,
    ifMatch: string | undefined,
  ) => Promise<Row>;
  remove: (orm: MikroORM, orgId: string, id: string, ifMatch: string | undefined) => Promise<void>;
}

/** One resource as the shared routes see it. */
export interface VersionedRoutesConfig<Row extends ApiRow, S extends ResourceSchemas> {
  /** Singular name (`client`): summaries, log messages and the `clientId` log field. */
  one: string;
  /** Plural name (`clients`): the tag, the list summary and the path under `/v1`. */
  many: string;
  schemas: S;
  descriptions: { list: string; remove: string };
  /** True when a PATCH may answer 409 (a unique value such as a SKU is taken). */
  patchMayConflict?: boolean;
  /**
   * Who may write, checked before body validation so a caller without the permission learns nothing
   * about the body; the write routes then document 403. Absent: any member may write.
   */
  writerOnly?: (request: FastifyRequest) => Promise<void>;
  toApi: (row: Row) => Static<S['item']>;
  useCases: ResourceUseCases<Row, S>;
}

/** Registers the routes of a resource (mount with prefix `/v1/<many>`). */
export function versionedRoutes<Row extends ApiRow, S extends ResourceSchemas>(
  deps: VersionedRoutesDeps,
  config: VersionedRoutesConfig<Row, S>,
) {
  return async (app: App): Promise<void> => {
    app.addHook('onRequest', requireAuth(deps.verifyToken));
    const context = { app, deps, config };
    // In this order, so the OpenAPI document lists the operations as it always has.
    registerList(context);
    registerCreate(context);
    registerGet(context);
    registerPatch(context);
    registerDelete(context);
  };
}

/** What each route registration gets: the (prefixed) app, the dependencies and the resource. */
export interface RouteContext<Row extends ApiRow, S extends ResourceSchemas> {
  app: App;
  deps: VersionedRoutesDeps;
  config: VersionedRoutesConfig<Row, S>;
}
