/**
 * Every replica of every service keeps the latest membership version of each member it heard of in
 * `auth.membership.changed.v1`, for as long as an access token can live. The shared JWT verifier
 * (`@invoice/platform-http`) refuses a token whose `mv` claim is lower, so a demotion, a removal, a
 * password reset or "log out everywhere" applies to the next request, not at the next refresh.
 *
 * An ordered (ephemeral, flow-controlled) JetStream consumer reads the AUTH stream from `lookbackMs`
 * ago, so a replica that starts after a change still learns it. Entries are dropped after
 * `lookbackMs`: by then every token issued before the change has expired.
 */
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import { Streams, Subjects, type EventEnvelope, type MembershipChanged } from '@invoice/contracts';
import type { Bus } from './bus.ts';

/** A running watcher: the lookup the verifier uses, and how to stop it. */
export interface MembershipVersionWatch {
  minimumVersion(orgId: string, userId: string): number;
  stop(): Promise<void>;
}

/** Options of {@link watchMembershipVersions}. */
export interface MembershipVersionOptions {
  /** How far back to read and how long to remember (the longest access token lifetime; default 1 h). */
  lookbackMs?: number;
}

/**
 * Starts reading membership changes in the background and returns at once (the composition root
 * calls it before the streams are ensured: it retries every second until the AUTH stream exists).
 */
export function watchMembershipVersions(
  bus: Bus,
  options: MembershipVersionOptions = {},
): MembershipVersionWatch {
  const lookbackMs = options.lookbackMs ?? 60 * 60 * 1000;
  const versions = new Map<string, { version: number; seenAt: number }>();
  let stopped = false;
  let messages: ConsumerMessages | undefined;
  let lastSweep = Date.now();

  const remember = (data: MembershipChanged) => {
    const key = `${data.organizationId}:${data.userId}`;
    const known = versions.get(key);
    if (!known || known.version < data.version)
      versions.set(key, { version: data.version, seenAt: Date.now() });
    if (Date.now() - lastSweep > 60_000) {
      lastSweep = Date.now();
      for (const [old, entry] of versions) if (Date.now() - entry.seenAt > lookbackMs) versions.delete(old);
    }
  };

  const run = async () => {
    while (!stopped && !messages) {
      try {
        const consumer = await bus.js.consumers.get(bus.streamName(Streams.AUTH), {
          filter_subjects: bus.subject(Subjects.MembershipChanged), // one string: servers before 2.10 take no list
          deliver_policy: DeliverPolicy.StartTime,
          opt_start_time: new Date(Date.now() - lookbackMs).toISOString(),
        });
        messages = await consumer.consume();
      } catch (error) {
        if (stopped || bus.nc.isClosed() || bus.nc.isDraining()) return;
        bus.logger.debug({ err: error }, 'membership changes not readable yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
    if (stopped) {
      await messages?.close();
      return;
    }
    for await (const message of messages!) {
      try {
        remember(message.json<EventEnvelope<MembershipChanged>>().data);
      } catch (error) {
        bus.logger.warn({ err: error }, 'unreadable membership change skipped');
      }
    }
  };
  void run().catch((error: unknown) => bus.logger.error({ err: error }, 'membership watch stopped'));

  return {
    minimumVersion(orgId, userId) {
      const entry = versions.get(`${orgId}:${userId}`);
      if (!entry) return 0;
      if (Date.now() - entry.seenAt > lookbackMs) {
        versions.delete(`${orgId}:${userId}`);
        return 0;
      }
      return entry.version;
    },
    async stop() {
      stopped = true;
      await messages?.close();
    },
  };
}
