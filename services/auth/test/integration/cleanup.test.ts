import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { closeQueue, createQueue } from '@invoice/platform-queue';
import { cleanUp } from '../../src/application/cleanup.ts';
import { CLEANUP_QUEUE, startWorkers } from '../../src/workers/cleanup.worker.ts';
import { callAs, signUp, verifiedAccount } from '../support/accounts.ts';
import { startHarness, type Harness } from '../support/harness.ts';

describe('scheduled clean-up', () => {
  let harness: Harness;
  before(async () => {
    harness = await startHarness({ env: { CLEANUP_INTERVAL_MS: '1000', UNVERIFIED_ACCOUNT_TTL_DAYS: '7' } });
  });
  after(async () => {
    await harness?.close();
  });

  const sql = (text: string, params: unknown[] = []) => harness.deps.orm.em.fork().execute(text, params);
  const count = async (table: string, where: string, params: unknown[] = []) =>
    Number(
      (
        (await sql(`select count(*) as n from "auth"."${table}" where ${where}`, params)) as { n: string }[]
      )[0]!.n,
    );

  it('removes what can no longer be used and keeps the rest; a second (or concurrent) run changes nothing', async () => {
    const owner = await verifiedAccount(harness);
    const invite = async (email: string) =>
      (await callAs(harness, owner.tokens, 'POST', '/v1/invitations', { email })).json<{ id: string }>().id;
    const stale = await invite('stale@example.com');
    const fresh = await invite('fresh@example.com');
    await sql(`update "auth"."invitations" set expires_at = now() - interval '8 days' where id = ?`, [stale]);

    const abandoned = await signUp(harness);
    await sql(`update "auth"."users" set created_at = now() - interval '8 days' where id = ?`, [
      abandoned.created.userId,
    ]);
    const recent = await signUp(harness);
    await sql(
      `update "auth"."email_verification_tokens" set expires_at = now() - interval '1 minute' where user_id = ?`,
      [recent.created.userId],
    );

    const runs = await Promise.all([
      cleanUp(harness.deps.orm, { unverifiedAccountTtlDays: 7 }),
      cleanUp(harness.deps.orm, { unverifiedAccountTtlDays: 7 }),
    ]);
    assert.ok(runs.some((run) => run.invitations >= 1));
    assert.equal(await count('invitations', 'id = ?', [stale]), 0);
    assert.equal(await count('invitations', 'id = ?', [fresh]), 1);
    assert.equal(await count('users', 'id = ?', [abandoned.created.userId]), 0);
    assert.equal(await count('organizations', 'id = ?', [abandoned.created.organizationId]), 0);
    assert.equal(await count('users', 'id = ?', [recent.created.userId]), 1);
    assert.equal(await count('email_verification_tokens', 'user_id = ?', [recent.created.userId]), 0);
    assert.equal(await count('users', 'id = ?', [owner.created.userId]), 1);
    assert.equal(await count('refresh_token_families', 'user_id = ?', [owner.created.userId]), 1);

    const again = await cleanUp(harness.deps.orm, { unverifiedAccountTtlDays: 7 });
    assert.equal(again.invitations + again.unverifiedUsers, 0);
  });

  it('keeps one schedule however many replicas start their workers, and the job runs', async () => {
    const stoppers = [...(await startWorkers(harness.deps)), ...(await startWorkers(harness.deps))];
    const queue = createQueue(CLEANUP_QUEUE, {
      redisUrl: harness.config.REDIS_URL,
      prefix: harness.config.QUEUE_PREFIX,
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      assert.equal(schedulers.length, 1);
      const stale = await signUp(harness);
      await sql(`update "auth"."users" set created_at = now() - interval '8 days' where id = ?`, [
        stale.created.userId,
      ]);
      let left = 1;
      for (let attempt = 0; attempt < 60 && left > 0; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        left = await count('users', 'id = ?', [stale.created.userId]);
      }
      assert.equal(left, 0, 'the scheduled job removed the expired unverified account');
    } finally {
      await closeQueue(queue);
      for (const stop of stoppers) await stop();
    }
  });
});
