/**
 * `/v1/imports`: upload a spreadsheet (multipart, Idempotency-Key), view a sheet from another header
 * row, run it with a mapping, follow its status and row errors, download the full error report,
 * cancel. Everything needs products_management (or admin); a category-per-sheet run needs
 * category_management as well. The upload's permission is checked before its body is read.
 */
import { createHash } from 'node:crypto';
import multipart, { type MultipartFile } from '@fastify/multipart';
import { AppError, ExportFileSchema } from '@invoice/contracts';
import type { MikroORM } from '@invoice/platform-db';
import {
  getAuth,
  hasPermission,
  IdempotencyHeadersSchema,
  ProblemRef,
  requireAuth,
  type JwtVerifier,
  type RoutePlugin,
} from '@invoice/platform-http';
import type { Logger } from '@invoice/platform-logger';
import type { Queue } from '@invoice/platform-queue';
import type { ObjectStorage } from '@invoice/platform-storage';
import type { FastifyError, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { CONTENT_TYPES } from '../application/export.ts';
import {
  cancelImport,
  errorReport,
  getImport,
  getSheetView,
  importView,
  runImport,
  uploadImport,
} from '../application/imports.service.ts';
import {
  ImportIdParamsSchema,
  ImportRunSchema,
  ImportSchema,
  ImportUploadedSchema,
  SheetParamsSchema,
  SheetQuerySchema,
  SheetViewSchema,
} from '../imports/model.ts';
import { authProblems, bearer } from './route-schemas.ts';

/** What the import routes need. */
export interface ImportRoutesDeps {
  orm: MikroORM;
  verifier: JwtVerifier;
  storage: ObjectStorage;
  importQueue: Queue;
  logger: Logger;
  config: {
    IMPORT_MAX_FILE_BYTES: number;
    IMPORT_MAX_UNCOMPRESSED_BYTES: number;
    IMPORT_FILE_TTL_SECONDS: number;
  };
  idempotent: preHandlerAsyncHookHandler;
}

const tags = ['imports'];

/** The upload's bytes, kept beside the request (the body holds only the file's name, size and hash). */
const uploads = new WeakMap<FastifyRequest, { fileName: string | undefined; bytes: Buffer }>();

/** The import routes (mount with prefix `/v1/imports`). */
export function importsRoutes(deps: ImportRoutesDeps): RoutePlugin {
  const { orm } = deps;
  return async (app) => {
    app.addHook('onRequest', requireAuth(deps.verifier));
    await app.register(multipart, {
      attachFieldsToBody: 'keyValues',
      // The name as sent: a path in it is refused, not silently cut to its last part.
      preservePath: true,
      limits: { fileSize: deps.config.IMPORT_MAX_FILE_BYTES, files: 1, fields: 5, parts: 6 },
      async onFile(this: FastifyRequest, part: MultipartFile) {
        let bytes: Buffer;
        try {
          bytes = await part.toBuffer();
        } catch (error) {
          throw multipartProblem(error as FastifyError, deps.config.IMPORT_MAX_FILE_BYTES);
        }
        uploads.set(this, { fileName: part.filename, bytes });
        // What Idempotency-Key compares: the same file under the same name is the same request.
        (part as unknown as { value: unknown }).value = {
          fileName: part.filename,
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        };
      },
    });
    // Multipart's own limits (a second file, too many parts) become problems like any other.
    app.setErrorHandler(async (error) => {
      throw multipartProblem(error as FastifyError, deps.config.IMPORT_MAX_FILE_BYTES);
    });

    app.post(
      '/',
      {
        // Before the body is parsed: a caller without the permission uploads nothing.
        preParsing: async (request) => managerOnly(request),
        preHandler: deps.idempotent,
        schema: {
          tags,
          summary: 'Upload a spreadsheet to import',
          description:
            'A `multipart/form-data` body with one part `file`: a `.csv` (UTF-8; `;`, `,` or tab between ' +
            'fields) or `.xlsx` file, checked by its content, not its name, up to IMPORT_MAX_FILE_BYTES ' +
            '(default 50 MB; larger is 413). Answers the import with every sheet, its guessed header row ' +
            '(the first row that looks like headers; null when none does), its headers by column letter ' +
            'and 20 sample rows with detected cell types. The file is kept in S3 until `expiresAt`.',
          security: bearer,
          consumes: ['multipart/form-data'],
          headers: IdempotencyHeadersSchema,
          response: {
            201: ImportUploadedSchema,
            ...authProblems,
            403: ProblemRef,
            409: ProblemRef,
            413: ProblemRef,
            415: ProblemRef,
            422: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const upload = uploads.get(request);
        if (!upload) {
          throw new AppError('VALIDATION_FAILED', {
            detail: 'the body needs a file part named file',
            errors: [{ field: '/file', message: 'is required', in: 'body' }],
          });
        }
        const auth = getAuth(request);
        const { row, views } = await uploadImport(deps, auth.orgId, auth.userId, upload);
        request.log.info({ importId: row.id, format: row.format, size: row.size }, 'import uploaded');
        return reply
          .status(201)
          .header('location', `/v1/imports/${row.id}`)
          .send({
            id: row.id,
            status: row.status as 'uploaded',
            format: row.format as 'csv' | 'xlsx',
            fileName: row.fileName,
            size: Number(row.size),
            expiresAt: row.expiresAt.toISOString(),
            sheets: views,
          });
      },
    );

    app.get(
      '/:id',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'Get an import',
          description:
            'Status (uploaded, mapped, running, completed, failed, cancelled), progress, counts and the ' +
            'first 1,000 row errors (sheet, row, column letter, message); `errorCount` counts them all.',
          security: bearer,
          params: ImportIdParamsSchema,
          response: { 200: ImportSchema, ...authProblems, 403: ProblemRef, 404: ProblemRef },
        },
      },
      async (request) => importView(orm, await getImport(orm, getAuth(request).orgId, request.params.id)),
    );

    app.get(
      '/:id/sheets/:sheet',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'View a sheet from a header row',
          description:
            'The headers and 20 sample rows of a sheet under `headerRow` (default: the guessed one). A ' +
            'header row that is empty or beyond the sheet is 400.',
          security: bearer,
          params: SheetParamsSchema,
          querystring: SheetQuerySchema,
          response: { 200: SheetViewSchema, ...authProblems, 403: ProblemRef, 404: ProblemRef },
        },
      },
      async (request) =>
        getSheetView(
          orm,
          getAuth(request).orgId,
          request.params.id,
          request.params.sheet,
          request.query.headerRow,
        ),
    );

    app.post(
      '/:id/run',
      {
        preValidation: async (request) => {
          await managerOnly(request);
          if (
            request.body?.mode === 'category-per-sheet' &&
            !hasPermission(getAuth(request), 'category_management')
          ) {
            throw new AppError('FORBIDDEN', {
              detail: 'A category per sheet creates categories: it needs the category_management permission',
            });
          }
        },
        schema: {
          tags,
          summary: 'Run an import',
          description:
            'Maps each chosen sheet (header row, column letter → product field, typed attribute or ' +
            '`ignore`; unlisted columns are ignored) and imports it `into-category` (`categoryId`; missing ' +
            'attribute definitions are added to it) or `category-per-sheet` (`parentId`, a `categoryName` ' +
            'per sheet; each becomes a category with its attribute definitions). name and unitPrice must be ' +
            'mapped, currency too unless `defaultCurrency` is given. `matchBy: sku` updates the product ' +
            'with the same SKU (re-running a file changes nothing). Answers 202; the import runs in the ' +
            'background (`GET /v1/imports/{id}`).',
          security: bearer,
          params: ImportIdParamsSchema,
          body: ImportRunSchema,
          response: { 202: ImportSchema, ...authProblems, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef },
        },
      },
      async (request, reply) => {
        const row = await runImport(deps, getAuth(request).orgId, request.params.id, request.body);
        return reply.status(202).send(await importView(orm, row));
      },
    );

    app.get(
      '/:id/errors',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'Download the row error report',
          description: 'Every row error of the import as CSV: sheet, row, column, message.',
          security: bearer,
          params: ImportIdParamsSchema,
          produces: [CONTENT_TYPES.csv],
          response: {
            200: ExportFileSchema,
            ...authProblems,
            403: ProblemRef,
            404: ProblemRef,
          },
        },
      },
      async (request, reply) => {
        const row = await getImport(orm, getAuth(request).orgId, request.params.id);
        return reply
          .header('content-type', CONTENT_TYPES.csv)
          .header('content-disposition', `attachment; filename="import-${row.id}-errors.csv"`)
          .send(errorReport(orm, row.id));
      },
    );

    app.delete(
      '/:id',
      {
        preValidation: managerOnly,
        schema: {
          tags,
          summary: 'Cancel an import',
          description:
            'Cancels an import that has not ended (uploaded, mapped or running); a running import stops ' +
            'before its next batch (rows of committed batches stay). An ended import is 409.',
          security: bearer,
          params: ImportIdParamsSchema,
          response: { 200: ImportSchema, ...authProblems, 403: ProblemRef, 404: ProblemRef, 409: ProblemRef },
        },
      },
      async (request) => importView(orm, await cancelImport(orm, getAuth(request).orgId, request.params.id)),
    );
  };
}

async function managerOnly(request: FastifyRequest): Promise<void> {
  if (!hasPermission(getAuth(request), 'products_management')) {
    throw new AppError('FORBIDDEN', { detail: 'Imports need the products_management or admin permission' });
  }
}

/** Multipart's limit errors as problems; anything else unchanged. */
function multipartProblem(error: FastifyError, maxBytes: number): unknown {
  switch (error?.code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', {
        detail: `the file is larger than ${maxBytes} bytes`,
        errors: [{ field: '/file', message: `is larger than ${maxBytes} bytes`, in: 'body' }],
      });
    case 'FST_FILES_LIMIT':
      return AppError.field('VALIDATION_FAILED', '/file', 'send one file');
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return AppError.field('VALIDATION_FAILED', '/', 'send only the file part');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', { detail: 'send the file as multipart/form-data' });
    default:
      return error;
  }
}
