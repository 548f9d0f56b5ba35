/** Invitations to the caller's organization (admins only). */
import {
  IdParamsSchema,
  InvitationCreateRequestSchema,
  InvitationListSchema,
  InvitationSchema,
} from '@invoice/contracts';
import {
  getAuth,
  IdempotencyHeadersSchema,
  ProblemRef,
  registerIdempotency,
  requirePermission,
  Type,
  type RoutePlugin,
} from '@invoice/platform-http';
import {
  createInvitation,
  listInvitations,
  resendInvitation,
  revokeInvitation,
} from '../application/invitations.ts';
import type { Deps } from '../deps.ts';
import { currentMember } from './caller.ts';

const tags = ['invitations'];
const security = [{ bearerAuth: [] }];
const denied = { 401: ProblemRef, 403: ProblemRef };

/** POST/GET /v1/invitations, DELETE /v1/invitations/{id}, POST /v1/invitations/{id}/resend. */
export function invitationsRoutes(
  deps: Pick<Deps, 'logger' | 'orm' | 'verifier' | 'idempotency'>,
): RoutePlugin {
  return async (app) => {
    const idempotent = registerIdempotency(app, deps.idempotency);
    const admin = [currentMember(deps), requirePermission('admin')];

    app.post(
      '/',
      {
        preValidation: admin,
        preHandler: idempotent,
        schema: {
          tags,
          summary: 'Invite someone by email (an invitation email with a single-use link follows)',
          security,
          headers: IdempotencyHeadersSchema,
          body: InvitationCreateRequestSchema,
          response: { 201: InvitationSchema, 400: ProblemRef, ...denied, 409: ProblemRef, 422: ProblemRef },
        },
      },
      async (request, reply) => {
        const caller = getAuth(request);
        const invitation = await createInvitation(deps, caller.orgId, caller.userId, request.body);
        return reply.status(201).header('location', `/v1/invitations/${invitation.id}`).send(invitation);
      },
    );

    app.get(
      '/',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Invitations, newest first',
          security,
          response: { 200: InvitationListSchema, ...denied },
        },
      },
      async (request) => ({ items: await listInvitations(deps.orm, getAuth(request).orgId) }),
    );

    app.delete(
      '/:id',
      {
        preValidation: admin,
        schema: {
          tags,
          summary: 'Revoke an invitation (its link stops working)',
          security,
          params: IdParamsSchema,
          response: { 204: Type.Null(), 400: ProblemRef, ...denied, 404: ProblemRef },
        },
      },
      async (request, reply) => {
        const caller = getAuth(request);
        await revokeInvitation(deps, caller.orgId, caller.userId, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/:id/resend',
      {
        preValidation: admin,
        preHandler: idempotent,
        schema: {
          tags,
          summary: 'Send the invitation again with a new link and expiry (the old link stops working)',
          security,
          headers: IdempotencyHeadersSchema,
          params: IdParamsSchema,
          response: {
            200: InvitationSchema,
            400: ProblemRef,
            ...denied,
            404: ProblemRef,
            409: ProblemRef,
            422: ProblemRef,
          },
        },
      },
      async (request) => {
        const caller = getAuth(request);
        return resendInvitation(deps, caller.orgId, caller.userId, request.params.id);
      },
    );
  };
}
