import { connect, headers, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type PubAck,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import {
  AppError,
  RpcContracts,
  Streams,
  rpcCallers,
  type EventEnvelope,
  type RpcSubject,
  type StreamDefinition,
} from '@invoice/contracts';
import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Logger } from '@invoice/platform-logger';
import { wire } from './nats-config.ts';

/** How to reach NATS, and the namespace that isolates environments sharing one server. */
export interface BusOptions {
  url: string;
  /** Prefix of subjects, stream and durable names ('' in production; unique per test file). */
  namespace?: string;
  /** Connection name shown by the server (service name); also the caller named in RPC requests. */
  name: string;
  logger: Logger;
  /**
   * User and password of this identity on a locked-down NATS (deploy/nats); both unset on an open
   * server. The user defaults to `name`.
   */
  user?: string;
  password?: string;
  /** TLS: the CA that signed the server's certificate, and a client certificate when the server asks. */
  tls?: { caFile?: string; certFile?: string; keyFile?: string };
}

/** The header naming the service that sends an RPC request (checked against contracts' `asks`). */
export const CALLER_HEADER = 'Invoice-Caller';

/** Duplicate window of every stream: a re-published msgID inside it is dropped. */
const DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/** One NATS connection with JetStream handles and namespacing. */
export class Bus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly namespace: string;
  readonly logger: Logger;
  /** The identity (service) name, sent as the caller of RPC requests. */
  readonly name: string;
  private connected = true;

  private constructor(nc: NatsConnection, js: JetStreamClient, jsm: JetStreamManager, options: BusOptions) {
    this.nc = nc;
    this.js = js;
    this.jsm = jsm;
    this.namespace = options.namespace ?? '';
    this.logger = options.logger;
    this.name = options.name;
    void this.watchStatus();
  }

  // nats.js keeps reconnecting forever (and buffers publishes meanwhile); this flag tells callers
  // whether the server is reachable right now, so they can back off instead of waiting for timeouts.
  private async watchStatus(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type === 'disconnect') {
        this.connected = false;
        this.logger.warn({ server: status.server }, 'nats disconnected; reconnecting');
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.logger.info({ server: status.server }, 'nats reconnected');
      }
    }
  }

  /** Connects, retrying forever in the background after the first connection is made. */
  static async connect(options: BusOptions): Promise<Bus> {
    // Any TLS file turns TLS on (a `tls://` URL does too, with the system's CAs).
    const tls = options.tls && Object.values(options.tls).some(Boolean) ? options.tls : undefined;
    const nc = await connect({
      servers: options.url,
      name: options.name,
      ...(options.password ? { user: options.user ?? options.name, pass: options.password } : {}),
      ...(tls ? { tls } : {}),
      // Replies (RPC answers, JetStream API answers, pulled messages) arrive under a prefix of this
      // identity's own, which the server lets no other identity subscribe to.
      inboxPrefix: wire.inboxPrefix(options.namespace ?? '', options.user ?? options.name),
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5_000,
    });
    const jsm = await jetstreamManager(nc);
    return new Bus(nc, jetstream(nc), jsm, options);
  }

  /** The wire subject for a logical subject (namespaced). */
  subject(subject: string): string {
    return this.namespace ? `${this.namespace}.${subject}` : subject;
  }

  /** The logical subject of a wire subject. */
  unprefix(subject: string): string {
    return this.namespace && subject.startsWith(`${this.namespace}.`)
      ? subject.slice(this.namespace.length + 1)
      : subject;
  }

  /** The JetStream stream name for a stream definition (namespaced). */
  streamName(stream: StreamDefinition): string {
    return this.namespace ? `${this.namespace.toUpperCase()}_${stream.name}` : stream.name;
  }

  /** A durable consumer name (namespaced). */
  durableName(durable: string): string {
    return this.namespace ? `${this.namespace}_${durable}` : durable;
  }

  /** Creates or updates the given streams (idempotent; every service calls it at start-up). */
  async ensureStreams(streams: readonly StreamDefinition[] = Object.values(Streams)): Promise<void> {
    for (const stream of streams) {
      const config: Partial<StreamConfig> & { name: string } = {
        name: this.streamName(stream),
        subjects: stream.subjects.map((s) => this.subject(s)),
        duplicate_window: nanos(DUPLICATE_WINDOW_MS),
        ...(stream.maxAgeDays ? { max_age: nanos(stream.maxAgeDays * 24 * 3600 * 1000) } : {}),
      };
      try {
        await this.jsm.streams.info(config.name);
        await this.jsm.streams.update(config.name, config);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        try {
          await this.jsm.streams.add(config);
        } catch (addError) {
          // Another replica created it between our info and add.
          if (!String(addError).includes('already in use')) throw addError;
        }
      }
    }
  }

  /** Publishes an event with `msgID = envelope.id`; resolves when JetStream has stored it. */
  async publish(envelope: EventEnvelope): Promise<PubAck> {
    return this.publishSerialized(envelope.type, envelope.id, JSON.stringify(envelope));
  }

  /**
   * Publishes an envelope that is already JSON text (the outbox stores it so), with `msgID` = its
   * id; resolves when JetStream has stored it. Publishes sent one after another on this connection
   * are stored in that order, so callers may send several before awaiting their acks.
   */
  async publishSerialized(type: string, id: string, json: string): Promise<PubAck> {
    return this.js.publish(this.subject(type), json, { msgID: id, timeout: 5_000 });
  }

  /** Sends a request on an `rpc.…` subject and parses the JSON reply. */
  async request<T>(subject: string, payload: unknown, timeoutMs = 2_000): Promise<T> {
    const claim = headers();
    claim.set(CALLER_HEADER, this.name);
    const reply = await this.nc.request(this.subject(subject), JSON.stringify(payload), {
      timeout: timeoutMs,
      headers: claim,
    });
    return reply.json<T>();
  }

  /**
   * Answers requests on an `rpc.…` subject with a queue group, so replicas share the load. Requests
   * are validated against the subject's contract (contracts/src/rpc.ts); the handler's result is
   * sent as JSON. A thrown AppError (a caller mistake, a missing thing) becomes
   * `{ error: { code, message } }`; anything else is logged and answered as INTERNAL without its
   * message, which could carry SQL or connection details.
   */
  respond<S extends RpcSubject>(
    subject: S,
    handler: (
      request: Static<(typeof RpcContracts)[S]['request']>,
    ) => Promise<Static<(typeof RpcContracts)[S]['reply']>>,
  ): Subscription {
    const sub = this.nc.subscribe(this.subject(subject), { queue: subject });
    const validator = Compile(RpcContracts[subject].request);
    const callers: readonly string[] = rpcCallers(subject);
    void (async () => {
      for await (const msg of sub) {
        try {
          // NATS permissions decide who may publish this subject (deploy/nats); the caller's claim
          // is checked as well, so a request from anyone else is refused even on an open server.
          const caller = msg.headers?.get(CALLER_HEADER) ?? '';
          if (!callers.includes(caller)) {
            throw new AppError('FORBIDDEN', {
              detail: `${caller || 'an unnamed caller'} may not ask ${subject}`,
            });
          }
          const request: unknown = msg.json();
          if (!validator.Check(request)) {
            const problems = [...validator.Errors(request)].map(
              (e) => `${e.instancePath || '/'} ${e.message}`,
            );
            throw new AppError('VALIDATION_FAILED', { detail: `invalid request: ${problems.join('; ')}` });
          }
          msg.respond(JSON.stringify(await handler(request as Static<(typeof RpcContracts)[S]['request']>)));
        } catch (error) {
          const expected = error instanceof AppError && error.kind !== 'internal';
          if (expected) this.logger.info({ subject, code: error.code }, 'rpc request refused');
          else this.logger.error({ err: error, subject }, 'rpc handler failed');
          const body = expected
            ? { code: error.code, message: error.detail ?? error.message }
            : { code: 'INTERNAL', message: 'internal error' };
          msg.respond(JSON.stringify({ error: body }));
        }
      }
    })();
    return sub;
  }

  /** True while connected to a server (false while reconnecting, draining or closed). */
  isConnected(): boolean {
    return this.connected && !this.nc.isClosed();
  }

  /** True while connected (for `/readyz`). */
  isReady(): boolean {
    return this.isConnected() && !this.nc.isDraining();
  }

  /** Drains subscriptions and closes the connection. */
  async close(): Promise<void> {
    if (!this.nc.isClosed()) await this.nc.drain();
  }
}

function isNotFound(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return (
    text.includes('not found') ||
    (error as { code?: number | string }).code === 404 ||
    (error as { api_error?: { err_code?: number } }).api_error?.err_code === 10059
  );
}
