/** The members of the caller's organization (admins only). */
import { IdParamsSchema, MemberListSchema, MemberPatchSchema, MemberSchema } from '@invoice/contracts';
import { getAuth, ProblemRef, requirePermission, Type, type RoutePlugin } from '@invoice/platform-http';
import { deactivateMember, getMember, listMembers, updateMember } from '../application/members.ts';
import type { Deps } from '../deps.ts';
import { currentMember } from './caller.ts';

const tags = ['members'];
const security = [{ bearerAuth: [] }];
const denied = { 401: ProblemRef, 403: ProblemRef };

/** GET /v1/members, GET/PATCH/DELETE /v1/members/{id} (the id is the member's user id). */
export function membersRoutes(deps: Pick<Deps, 'logger' | 'orm' | 'verifier'>): RoutePlugin {
  return async (app) => {
    const admin = [currentMember(deps), requirePermission('admin')];

    app.get(
      '/',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Members of the organization',
          security,
          response: { 200: MemberListSchema, ...denied },
        },
      },
      async (request) => ({ items: await listMembers(deps.orm, getAuth(request).orgId) }),
    );

    app.get(
      '/:id',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'One member',
          security,
          params: IdParamsSchema,
          response: { 200: MemberSchema, 400: ProblemRef, ...denied, 404: ProblemRef },
        },
      },
      async (request) => getMember(deps.orm, getAuth(request).orgId, request.params.id),
    );

    app.patch(
      '/:id',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Change role and permissions, or approve a pending member (takes effect at once)',
          security,
          params: IdParamsSchema,
          body: MemberPatchSchema,
          // 409 LAST_OWNER: the organization's last active owner cannot be demoted.
          response: { 200: MemberSchema, 400: ProblemRef, ...denied, 404: ProblemRef, 409: ProblemRef },
        },
      },
      async (request) => {
        const caller = getAuth(request);
        return updateMember(deps, caller.orgId, caller, request.params.id, request.body);
      },
    );

    app.delete(
      '/:id',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Deactivate a member (their sessions end at once; what they created stays)',
          security,
          params: IdParamsSchema,
          response: { 204: Type.Null(), 400: ProblemRef, ...denied, 404: ProblemRef, 409: ProblemRef },
        },
      },
      async (request, reply) => {
        const caller = getAuth(request);
        await deactivateMember(deps, caller.orgId, caller, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}
