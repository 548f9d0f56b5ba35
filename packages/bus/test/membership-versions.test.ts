import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEnvelope, newId, Streams, Subjects, type MembershipChanged } from '@invoice/contracts';
import {
  deleteNamespaceStreams,
  infrastructure,
  silentLogger,
  testNamespace,
} from '@invoice/platform-testing';
import { Bus, watchMembershipVersions } from '../src/index.ts';

describe('membership versions from auth.membership.changed.v1', () => {
  let natsUrl: string;
  let bus: Bus;
  const namespace = testNamespace();

  before(async () => {
    natsUrl = (await infrastructure()).natsUrl;
    bus = await Bus.connect({ url: natsUrl, namespace, name: 'membership-test', logger: silentLogger() });
  });
  after(async () => {
    await bus.close();
    await deleteNamespaceStreams(natsUrl, namespace);
  });

  const announce = (orgId: string, userId: string, version: number) => {
    const data: MembershipChanged = {
      organizationId: orgId,
      userId,
      version,
      role: 'member',
      permissions: [],
      status: 'active',
      reason: 'test',
    };
    return bus.publish(
      createEnvelope({ type: Subjects.MembershipChanged, source: 'auth', orgId, subject: userId, data }),
    );
  };
  const until = async (check: () => boolean) => {
    for (let attempt = 0; attempt < 100 && !check(); attempt += 1)
      await new Promise((r) => setTimeout(r, 50));
    return check();
  };

  it('waits for the AUTH stream, then learns changes as they come; versions never go back', async () => {
    const watch = watchMembershipVersions(bus); // before the stream exists, as in a composition root
    try {
      await bus.ensureStreams([Streams.AUTH]);
      const orgId = newId();
      const userId = newId();
      assert.equal(watch.minimumVersion(orgId, userId), 0);
      await announce(orgId, userId, 3);
      assert.ok(await until(() => watch.minimumVersion(orgId, userId) === 3));
      await announce(orgId, userId, 2); // out of order: ignored
      await announce(orgId, newId(), 5);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(watch.minimumVersion(orgId, userId), 3);
      assert.equal(watch.minimumVersion(newId(), userId), 0, 'another organization is another member');
    } finally {
      await watch.stop();
    }
  });

  it('a replica started after a change still learns it (the last hour is replayed)', async () => {
    await bus.ensureStreams([Streams.AUTH]);
    const orgId = newId();
    const userId = newId();
    await announce(orgId, userId, 4);
    const late = watchMembershipVersions(bus);
    try {
      assert.ok(await until(() => late.minimumVersion(orgId, userId) === 4));
    } finally {
      await late.stop();
    }
  });
});
