/**
 * Recurring invoices that never double-bill, every service in its own process and the emails at a
 * real SMTP server. A schedule with three occurrences already due (catch-up, issue and send) is
 * caught mid-occurrence: its first draft is committed while issuing waits on a lock the test holds,
 * and the invoicing process is killed (SIGKILL) right there. Then the service's BullMQ keys are
 * flushed (its namespace only) and two invoicing replicas start at once. Each occurrence still gives
 * exactly one invoice (counted in Postgres) and exactly one email with its PDF (counted at SMTP).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { Redis } from 'ioredis';
import { waitFor, type SmtpSink } from '@invoice/platform-testing';
import { freePort, spawnService, waitForHttp } from '../../scripts/lib/dev-env.ts';
import {
  gatewayApi,
  prepareSystem,
  processOutput,
  startServices,
  stopServices,
  type SystemEnvironment,
} from './support/system.ts';

/** Index of the invoicing process in the system's children (SERVICES order). */
const INVOICING = 2;

/** The first day of the month `monthsBack` months before today (UTC), as an ISO date. */
function firstOfMonth(monthsBack: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsBack, 1))
    .toISOString()
    .slice(0, 10);
}

describe(
  'recurring invoices survive a killed worker, a flushed queue and two replicas',
  { timeout: 300_000 },
  () => {
    let system: SystemEnvironment;
    let smtp: SmtpSink;
    let db: pg.Client;
    let api: ReturnType<typeof gatewayApi>;
    const children: ChildProcess[] = [];

    before(async () => {
      system = await prepareSystem();
      system.env.RECURRING_WAKE_INTERVAL_MS = '500';
      ({ smtp } = system);
      api = gatewayApi(system.gatewayUrl);
      db = new pg.Client({ connectionString: system.env.DATABASE_URL });
      await db.connect();
      await startServices(system, children);
    });

    after(async () => {
      await db?.end().catch(() => undefined);
      await stopServices(children);
      await system?.cleanup();
    });

    async function signUp(): Promise<string> {
      const email = `owner-${system.namespace}@example.test`;
      const password = 'correct horse battery staple';
      const signup = await api('POST', '/v1/auth/signup', {
        organizationName: 'Initech AG',
        name: 'Peter Gibbons',
        email,
        password,
      });
      assert.equal(signup.status, 201, JSON.stringify(signup.json));
      const verification = await smtp.waitForMail((mail) => mail.envelopeTo.includes(email));
      const token = /token=([A-Za-z0-9_-]+)/.exec(verification.parsed.text ?? '')?.[1];
      assert.equal((await api('POST', '/v1/auth/verify-email', { token })).status, 200);
      const login = await api('POST', '/v1/auth/login', { email, password });
      const accessToken = login.json.accessToken as string;
      const organization = await api(
        'PATCH',
        '/v1/organization',
        {
          legalName: 'Initech AG',
          taxId: 'DE123456789',
          address: { line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', country: 'DE' },
        },
        accessToken,
      );
      assert.equal(organization.status, 200, JSON.stringify(organization.json));
      return accessToken;
    }

    const count = async (sql: string, params: unknown[]) =>
      Number((await db.query(sql, params)).rows[0].count);

    it('creates one invoice and sends one email per occurrence', async () => {
      const token = await signUp();
      const buyer = `billing-${system.namespace}@globex.test`;
      const client = await api(
        'POST',
        '/v1/clients',
        {
          name: 'Globex Corporation',
          email: buyer,
          address: { line1: '1 Globex Way', city: 'Cypress Creek', postalCode: '12345', country: 'US' },
        },
        token,
      );
      assert.equal(client.status, 201, JSON.stringify(client.json));

      // Issuing draws a number from number_series: while the test holds this lock, every issue waits.
      const blocker = new pg.Client({ connectionString: system.env.DATABASE_URL });
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('lock table invoicing.number_series in exclusive mode');

      const recurring = await api(
        'POST',
        '/v1/recurring-invoices',
        {
          clientId: client.json.id,
          currency: 'EUR',
          action: 'issue_and_send',
          lines: [
            {
              description: 'Hosting {month}',
              quantity: '1',
              unitCode: 'MON',
              unitPrice: '99.00',
              vatCategory: 'S',
              vatRate: '19',
            },
          ],
          // Three occurrences are due at once: two months ago, last month, this month.
          schedule: { frequency: 'month', startDate: firstOfMonth(2), endAfterCount: 3 },
        },
        token,
      );
      assert.equal(recurring.status, 201, JSON.stringify(recurring.json));
      const scheduleId = recurring.json.id as string;

      // Mid-occurrence: the first draft is committed, its issue is waiting for the lock.
      await waitFor(
        async () =>
          (await count(
            `select count(*) from invoicing.recurring_occurrences where schedule_id = $1 and status = 'pending' and invoice_id is not null`,
            [scheduleId],
          )) === 1,
        { timeoutMs: 60_000, what: 'a pending occurrence with its draft' },
      );
      await waitFor(
        async () =>
          (await count(
            `select count(*) from pg_locks l join pg_class c on c.oid = l.relation
           where c.relname = 'number_series' and not l.granted
             and l.database = (select oid from pg_database where datname = current_database())`,
            [],
          )) > 0,
        { timeoutMs: 30_000, what: 'an issue waiting on number_series' },
      );
      const invoicing = children[INVOICING]!;
      const exited = new Promise((resolve) => invoicing.once('exit', resolve));
      invoicing.kill('SIGKILL');
      await exited;
      await blocker.query('rollback');
      await blocker.end();
      assert.equal(
        await count('select count(*) from invoicing.invoices where client_id = $1', [client.json.id]),
        1,
      );
      assert.equal(
        await count(`select count(*) from invoicing.invoices where client_id = $1 and status = 'draft'`, [
          client.json.id,
        ]),
        1,
        'the killed process left its draft unissued',
      );

      // Flush the service's queue (this system's namespace only: the Redis is shared).
      const redis = new Redis(system.env.REDIS_URL!);
      let flushed = 0;
      for await (const keys of redis.scanStream({
        match: `${system.namespace}:invoicing-recurring:*`,
        count: 500,
      })) {
        if ((keys as string[]).length > 0) flushed += await redis.del(...(keys as string[]));
      }
      redis.disconnect();
      assert.ok(flushed > 0, 'the wake-up schedule was in Redis before the flush');

      // Two replicas start at once: one with every role on the service's port, one worker.
      const replicaEnv = { ...system.env, PORT: String(system.ports.invoicing) };
      children.push(
        spawnService('invoicing', replicaEnv, { output: processOutput }),
        spawnService(
          'invoicing',
          { ...replicaEnv, ROLE: 'worker', PORT: String(await freePort()) },
          { output: processOutput },
        ),
      );
      await waitForHttp(`http://127.0.0.1:${system.ports.invoicing}/readyz`, 60_000);

      const mails = await waitFor(
        async () => {
          const received = smtp.mails.filter((mail) => mail.envelopeTo.includes(buyer));
          return received.length >= 3 ? received : undefined;
        },
        { timeoutMs: 120_000, what: 'three invoice emails' },
      );
      // Several more wakes of both replicas: nothing more arrives.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const all = smtp.mails.filter((mail) => mail.envelopeTo.includes(buyer));
      assert.equal(all.length, 3, 'exactly one email per occurrence');
      for (const mail of mails) {
        assert.ok(
          mail.parsed.attachments.some((attachment) => attachment.contentType === 'application/pdf'),
          'each email has its invoice PDF attached',
        );
      }

      const invoices = await db.query(
        `select i.number, i.status, to_char(o.occurrence_date, 'YYYY-MM-DD') as day, o.status as occurrence
       from invoicing.recurring_occurrences o join invoicing.invoices i on i.id = o.invoice_id
       where o.schedule_id = $1 order by o.occurrence_date`,
        [scheduleId],
      );
      assert.deepEqual(
        invoices.rows.map((row) => [row.day, row.status, row.occurrence]),
        [firstOfMonth(2), firstOfMonth(1), firstOfMonth(0)].map((day) => [day, 'issued', 'sent']),
      );
      assert.equal(new Set(invoices.rows.map((row) => row.number)).size, 3);
      assert.equal(
        await count('select count(*) from invoicing.invoices where client_id = $1', [client.json.id]),
        3,
      );
      const subjects = new Set(all.map((mail) => mail.parsed.subject));
      assert.equal(subjects.size, 3, 'three different invoices were emailed');

      const occurrences = await api(
        'GET',
        `/v1/recurring-invoices/${scheduleId}/occurrences`,
        undefined,
        token,
      );
      assert.equal(occurrences.status, 200);
      assert.deepEqual(
        occurrences.json.items.map((item: { status: string }) => item.status),
        ['sent', 'sent', 'sent'],
      );
    });
  },
);
