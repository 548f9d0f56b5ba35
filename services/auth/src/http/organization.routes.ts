/** The caller's organization profile (the seller on its invoices). */
import { AppError, OrganizationPatchSchema, OrganizationSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requireAuth, type RoutePlugin } from '@invoice/platform-http';
import { getOrganization, updateOrganization } from '../application/organization.ts';
import type { Deps } from '../deps.ts';
import { hasPermission } from '../domain/permissions.ts';

const tags = ['organization'];
const security = [{ bearerAuth: [] }];

/** GET and PATCH /v1/organization (registered under that prefix; always the caller's own organization). */
export function organizationRoutes(deps: Pick<Deps, 'logger' | 'orm' | 'verifier'>): RoutePlugin {
  return async (app) => {
    const authenticated = requireAuth(deps.verifier);

    app.get(
      '/',
      {
        preHandler: authenticated,
        schema: {
          tags,
          summary: "The caller's organization",
          security,
          response: { 200: OrganizationSchema, 401: ProblemRef, 404: ProblemRef },
        },
      },
      async (request) => getOrganization(deps.orm, getAuth(request).orgId),
    );

    app.patch(
      '/',
      {
        preHandler: authenticated,
        schema: {
          tags,
          summary: "Change the caller's organization (JSON Merge Patch; needs the admin permission)",
          security,
          body: OrganizationPatchSchema,
          response: {
            200: OrganizationSchema,
            400: ProblemRef,
            401: ProblemRef,
            403: ProblemRef,
            404: ProblemRef,
          },
        },
      },
      async (request) => {
        const caller = getAuth(request);
        if (!hasPermission(caller.permissions, 'admin')) {
          throw new AppError('FORBIDDEN', { detail: 'Changing the organization needs the admin permission' });
        }
        return updateOrganization(deps, caller.orgId, request.body);
      },
    );
  };
}
