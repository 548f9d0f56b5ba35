/** Reading and changing the caller's organization profile. */
import {
  AppError,
  createEnvelope,
  Subjects,
  type Organization as OrganizationSnapshot,
  type OrganizationPatch,
  type OrganizationSettings,
  type OrganizationSettingsChanged,
} from '@invoice/contracts';
import { inTransaction, type MikroORM } from '@invoice/platform-db';
import { enqueueEvent } from '@invoice/platform-outbox';
import { LockMode } from '@mikro-orm/core';
import { Organization } from '../db/index.ts';
import { applyOrganizationPatch } from '../domain/organization.ts';
import type { Deps } from '../deps.ts';
import { assignProfile, toOrganizationSnapshot, toProfile } from './organization-snapshot.ts';

/** The organization's snapshot, or null when it does not exist. */
export async function findOrganization(
  orm: MikroORM,
  organizationId: string,
): Promise<OrganizationSnapshot | null> {
  const row = await orm.em.fork().findOne(Organization, { id: organizationId });
  return row ? toOrganizationSnapshot(row) : null;
}

/** The organization's snapshot; NOT_FOUND when it is gone. */
export async function getOrganization(orm: MikroORM, organizationId: string): Promise<OrganizationSnapshot> {
  const snapshot = await findOrganization(orm, organizationId);
  if (!snapshot) throw new AppError('NOT_FOUND', { detail: 'The organization does not exist' });
  return snapshot;
}

/**
 * Applies a merge patch. A real change increments the version and writes `organization.updated`
 * with the full snapshot in the same transaction; a patch that changes nothing does neither.
 */
export async function updateOrganization(
  deps: Pick<Deps, 'orm' | 'logger'>,
  organizationId: string,
  patch: OrganizationPatch,
): Promise<OrganizationSnapshot> {
  return inTransaction(deps.orm, async (em) => {
    // Locked so concurrent patches apply one after the other and versions never repeat.
    const row = await em.findOne(
      Organization,
      { id: organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row) throw new AppError('NOT_FOUND', { detail: 'The organization does not exist' });
    const { profile, changed } = applyOrganizationPatch(toProfile(row), patch);
    if (!changed) return toOrganizationSnapshot(row);
    assignProfile(row, profile);
    row.version += 1;
    await em.flush();
    const organization = toOrganizationSnapshot(row);
    await enqueueEvent(
      em,
      createEnvelope({
        type: Subjects.OrganizationUpdated,
        source: 'auth',
        orgId: row.id,
        subject: row.id,
        data: { organization },
      }),
    );
    deps.logger.info({ organizationId, version: row.version }, 'organization updated');
    return organization;
  });
}

/** The organization's settings. */
export async function getSettings(orm: MikroORM, organizationId: string): Promise<OrganizationSettings> {
  const row = await orm.em.fork().findOne(Organization, { id: organizationId });
  if (!row) throw new AppError('NOT_FOUND', { detail: 'The organization does not exist' });
  return { requireMemberApproval: row.requireMemberApproval };
}

/** Changes the settings (they stay inside auth: no other service needs them). */
export async function updateSettings(
  orm: MikroORM,
  organizationId: string,
  actorId: string,
  patch: Partial<OrganizationSettings>,
): Promise<OrganizationSettings> {
  return inTransaction(orm, async (em) => {
    const row = await em.findOne(
      Organization,
      { id: organizationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!row) throw new AppError('NOT_FOUND', { detail: 'The organization does not exist' });
    if (
      patch.requireMemberApproval === undefined ||
      patch.requireMemberApproval === row.requireMemberApproval
    ) {
      return { requireMemberApproval: row.requireMemberApproval };
    }
    row.requireMemberApproval = patch.requireMemberApproval;
    await em.flush();
    const data: OrganizationSettingsChanged = {
      organizationId,
      requireMemberApproval: row.requireMemberApproval,
      changedBy: actorId,
    };
    await enqueueEvent(
      em,
      createEnvelope({
        type: Subjects.OrganizationSettingsChanged,
        source: 'auth',
        orgId: organizationId,
        subject: organizationId,
        data,
      }),
    );
    return { requireMemberApproval: row.requireMemberApproval };
  });
}
