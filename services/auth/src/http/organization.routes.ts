/** The caller's organization profile (the seller on its invoices). */
import {
  OrganizationPatchSchema,
  OrganizationSchema,
  OrganizationSettingsPatchSchema,
  OrganizationSettingsSchema,
} from '@invoice/contracts';
import { getAuth, ProblemRef, requirePermission, type RoutePlugin } from '@invoice/platform-http';
import {
  getOrganization,
  getSettings,
  updateOrganization,
  updateSettings,
} from '../application/organization.ts';
import type { Deps } from '../deps.ts';
import { currentMember } from './caller.ts';

const tags = ['organization'];
const security = [{ bearerAuth: [] }];

/** GET and PATCH /v1/organization (registered under that prefix; always the caller's own organization). */
export function organizationRoutes(deps: Pick<Deps, 'logger' | 'orm' | 'verifier'>): RoutePlugin {
  return async (app) => {
    const authenticated = currentMember(deps);
    const admin = [authenticated, requirePermission('admin')];

    app.get(
      '/',
      {
        preValidation: authenticated,
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
        preValidation: admin,
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
      async (request) => updateOrganization(deps, getAuth(request).orgId, request.body),
    );

    app.get(
      '/settings',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: "The organization's settings (admin)",
          security,
          response: { 200: OrganizationSettingsSchema, 401: ProblemRef, 403: ProblemRef },
        },
      },
      async (request) => getSettings(deps.orm, getAuth(request).orgId),
    );

    app.patch(
      '/settings',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Change settings, e.g. whether new members need approval (admin)',
          security,
          body: OrganizationSettingsPatchSchema,
          response: { 200: OrganizationSettingsSchema, 400: ProblemRef, 401: ProblemRef, 403: ProblemRef },
        },
      },
      async (request) => {
        const caller = getAuth(request);
        return updateSettings(deps.orm, caller.orgId, caller.userId, request.body);
      },
    );
  };
}
