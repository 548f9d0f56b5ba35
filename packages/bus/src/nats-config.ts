/**
 * The nats-server configuration, generated from the identities in `@invoice/contracts`
 * (`BusIdentities`): one user per service plus the read-only `subscriber`, each with the
 * permissions of its row. Passwords are never in the file: each is a variable nats-server reads
 * from its environment (`$NATS_PASSWORD_<USER>`), so the committed deploy/nats/nats-server.conf
 * holds no secret and the server refuses to start when one is missing.
 *
 * JetStream API subjects used (nats-server 2.9+):
 * - stream: `$JS.API.STREAM.{CREATE,UPDATE,INFO}.<stream>` (no DELETE for anyone)
 * - durable: `$JS.API.CONSUMER.CREATE.<stream>.<durable>[.<filter>]`, `…DURABLE.CREATE…`,
 *   `…INFO…`, `…MSG.NEXT…`, acks on `$JS.ACK.<stream>.<durable>.>`
 * - replies: each identity has its own inbox prefix (`_INBOX_<user>`), so no one reads another's
 *   replies (RPC answers, JetStream API answers).
 */
import {
  BusIdentities,
  SUBSCRIBER_IDENTITY,
  SubscriberStreams,
  Streams,
  Subjects,
  rpcAnswered,
  type BusService,
  type StreamDefinition,
} from '@invoice/contracts';

/** Wire names under a namespace (the same rules as {@link Bus}). */
export const wire = {
  subject: (namespace: string, subject: string) => (namespace ? `${namespace}.${subject}` : subject),
  stream: (namespace: string, stream: StreamDefinition) =>
    namespace ? `${namespace.toUpperCase()}_${stream.name}` : stream.name,
  durable: (namespace: string, durable: string) => (namespace ? `${namespace}_${durable}` : durable),
  inboxPrefix: (namespace: string, user: string) =>
    namespace ? `_INBOX_${namespace}_${user}` : `_INBOX_${user}`,
};

/** The environment variable holding a user's password (`NATS_PASSWORD_INVOICING`). */
export function passwordVariable(user: string): string {
  return `NATS_PASSWORD_${user.toUpperCase()}`;
}

/** Every user of the generated configuration. */
export const NATS_USERS: readonly string[] = [...Object.keys(BusIdentities), SUBSCRIBER_IDENTITY];

/** The permissions of one user. */
export interface NatsPermissions {
  publish: { allow: string[]; deny?: string[] };
  subscribe: { allow: string[] };
  allow_responses?: boolean;
}

/** API subjects of one durable consumer on one stream (create, info, pull, ack). */
function durableApi(stream: string, durable: string, filter?: string): string[] {
  return [
    `$JS.API.CONSUMER.CREATE.${stream}.${durable}`,
    filter
      ? `$JS.API.CONSUMER.CREATE.${stream}.${durable}.${filter}`
      : `$JS.API.CONSUMER.CREATE.${stream}.${durable}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
    `$JS.API.CONSUMER.INFO.${stream}.${durable}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

/** Every platform durable on `stream` (wire names), with the service that owns it. */
function platformDurables(
  namespace: string,
  stream: StreamDefinition,
): { owner: BusService; name: string }[] {
  return (Object.entries(BusIdentities) as [BusService, (typeof BusIdentities)[BusService]][]).flatMap(
    ([owner, identity]) =>
      identity.durables
        .filter((grant) => streamOf(grant.subject) === stream)
        .map((grant) => ({ owner, name: wire.durable(namespace, grant.durable) })),
  );
}

function streamOf(subject: string): StreamDefinition {
  const prefix = subject.split('.')[0];
  const stream = Object.values(Streams).find((s) => s.subjects[0] === `${prefix}.>`);
  if (!stream) throw new Error(`no stream captures ${subject}`);
  return stream;
}

/** What a user may not do with the durables of others on a stream it may create consumers on. */
function othersDurablesDenied(namespace: string, stream: StreamDefinition, except?: BusService): string[] {
  const wireStream = wire.stream(namespace, stream);
  return platformDurables(namespace, stream)
    .filter((entry) => entry.owner !== except)
    .flatMap((entry) => [
      ...durableApi(wireStream, entry.name),
      `$JS.API.CONSUMER.DELETE.${wireStream}.${entry.name}`,
    ]);
}

/** The permissions of a service. */
export function servicePermissions(service: BusService, namespace = ''): NatsPermissions {
  const identity = BusIdentities[service];
  const ownStream = wire.stream(namespace, identity.stream);
  const allow = [
    ...identity.stream.subjects.map((subject) => wire.subject(namespace, subject)),
    '$JS.API.INFO',
    `$JS.API.STREAM.CREATE.${ownStream}`,
    `$JS.API.STREAM.UPDATE.${ownStream}`,
    `$JS.API.STREAM.INFO.${ownStream}`,
    ...identity.asks.map((subject) => wire.subject(namespace, subject)),
  ];
  for (const grant of identity.durables) {
    const stream = wire.stream(namespace, streamOf(grant.subject));
    allow.push(
      `$JS.API.STREAM.INFO.${stream}`,
      ...durableApi(stream, wire.durable(namespace, grant.durable), wire.subject(namespace, grant.subject)),
    );
  }
  const deny: string[] = [];
  if (identity.watchesMemberships) {
    // An ordered consumer has a generated name, so any name is allowed, but only with the
    // membership filter; pulling from (or acking) another service's durable on AUTH is denied.
    const auth = wire.stream(namespace, Streams.AUTH);
    allow.push(
      `$JS.API.STREAM.INFO.${auth}`,
      `$JS.API.CONSUMER.CREATE.${auth}.*.${wire.subject(namespace, Subjects.MembershipChanged)}`,
      `$JS.API.CONSUMER.INFO.${auth}.*`,
      `$JS.API.CONSUMER.MSG.NEXT.${auth}.*`,
      `$JS.API.CONSUMER.DELETE.${auth}.*`,
    );
    deny.push(...othersDurablesDenied(namespace, Streams.AUTH, service));
  }
  const answered = rpcAnswered(service).map((subject) => wire.subject(namespace, subject));
  return {
    publish: { allow: unique(allow), ...(deny.length > 0 ? { deny: unique(deny) } : {}) },
    subscribe: { allow: [`${wire.inboxPrefix(namespace, service)}.>`, ...answered] },
    ...(answered.length > 0 ? { allow_responses: true } : {}),
  };
}

/** The permissions of the read-only subscriber identity. */
export function subscriberPermissions(namespace = ''): NatsPermissions {
  const allow = ['$JS.API.INFO'];
  const deny: string[] = [];
  for (const definition of SubscriberStreams) {
    const stream = wire.stream(namespace, definition);
    allow.push(
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}.>`,
      `$JS.API.CONSUMER.DURABLE.CREATE.${stream}.*`,
      `$JS.API.CONSUMER.INFO.${stream}.*`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
      `$JS.API.CONSUMER.DELETE.${stream}.*`,
      `$JS.API.CONSUMER.NAMES.${stream}`,
      `$JS.API.CONSUMER.LIST.${stream}`,
      `$JS.ACK.${stream}.>`,
    );
    deny.push(...othersDurablesDenied(namespace, definition));
  }
  return {
    publish: { allow, deny: unique(deny) },
    subscribe: { allow: [`${wire.inboxPrefix(namespace, SUBSCRIBER_IDENTITY)}.>`, '_INBOX.>'] },
  };
}

/** The permissions of every user. */
export function natsPermissions(namespace = ''): Record<string, NatsPermissions> {
  return Object.fromEntries([
    ...(Object.keys(BusIdentities) as BusService[]).map((service) => [
      service,
      servicePermissions(service, namespace),
    ]),
    [SUBSCRIBER_IDENTITY, subscriberPermissions(namespace)],
  ]);
}

/**
 * The nats-server configuration text (the `authorization` block; port, JetStream store and TLS come
 * from the command line or an include, so one file serves every environment).
 */
export function renderNatsServerConfig(options: { namespace?: string } = {}): string {
  const namespace = options.namespace ?? '';
  const permissions = natsPermissions(namespace);
  const lines = [
    '# Generated by `npm run nats:config` from contracts/src/bus-identities.ts: do not edit by hand.',
    '# One user per service and the read-only `subscriber`; every password is read from the',
    '# environment of nats-server (NATS_PASSWORD_<USER>), so this file holds no secret.',
    '# Port, JetStream store and TLS come from the command line (see deploy/nats/README.md).',
    ...(namespace ? [`# Namespace: ${namespace}`] : []),
    '',
    'jetstream: enabled',
    '',
    'authorization {',
    '  users: [',
  ];
  for (const [user, perms] of Object.entries(permissions)) {
    lines.push('    {');
    lines.push(`      user: ${user}`);
    lines.push(`      password: $${passwordVariable(user)}`);
    lines.push('      permissions: {');
    lines.push('        publish: {');
    lines.push(`          allow: ${list(perms.publish.allow, 10)}`);
    if (perms.publish.deny) lines.push(`          deny: ${list(perms.publish.deny, 10)}`);
    lines.push('        }');
    lines.push('        subscribe: {');
    lines.push(`          allow: ${list(perms.subscribe.allow, 10)}`);
    lines.push('        }');
    if (perms.allow_responses) lines.push('        allow_responses: true');
    lines.push('      }');
    lines.push('    }');
  }
  lines.push('  ]', '}', '');
  return lines.join('\n');
}

function list(items: readonly string[], indent: number): string {
  const pad = ' '.repeat(indent);
  return `[\n${items.map((item) => `${pad}  "${item}"`).join('\n')}\n${pad}]`;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}
