/**
 * Replica reads with a fallback: when a client, product or the organization has no replica row yet
 * (its event has not arrived), ask its owner over NATS request/reply and store the answer, so the next
 * read is local. A timeout, no responder or an error reply is SERVICE_UNAVAILABLE.
 */
import {
  AppError,
  ClientGetReplySchema,
  OrganizationGetReplySchema,
  ProductGetReplySchema,
  RpcSubjects,
  type ClientGetRequest,
  type ClientSnapshot,
  type Organization,
  type OrganizationGetRequest,
  type ProductGetRequest,
  type ProductSnapshot,
} from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import type { Logger } from '@invoice/platform-logger';
import { Compile } from 'typebox/compile';
import {
  readClients,
  readOrganization,
  readProducts,
  readReplicas,
  type ReplicaRead,
  upsertClient,
  upsertOrganization,
  upsertProduct,
} from '../db/replicas.repository.ts';

const ClientReply = Compile(ClientGetReplySchema);
const ProductReply = Compile(ProductGetReplySchema);
const OrganizationReply = Compile(OrganizationGetReplySchema);

/** Reads replicas, asking their owner service when a row is missing. */
export class ReplicaLookup {
  private readonly orm: MikroORM;
  private readonly bus: Bus;
  private readonly timeoutMs: number;
  private readonly logger: Logger;

  constructor(options: { orm: MikroORM; bus: Bus; timeoutMs: number; logger: Logger }) {
    this.orm = options.orm;
    this.bus = options.bus;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
  }

  /**
   * What a new draft needs, read in one round trip: its client, the products its lines name and, when
   * asked, the organization's replica row (for its default currency; null when missing: pass it to
   * {@link organization} only if it is needed). Only a missing client or product is asked of its owner.
   */
  async forDraft(
    orgId: string,
    want: { clientId: string; productIds: readonly string[]; organization: boolean },
  ): Promise<{
    client: ClientSnapshot | undefined;
    products: () => Promise<Map<string, ProductSnapshot>>;
    organization: Organization | null | undefined;
  }> {
    const read = await readReplicas(this.orm.em, orgId, {
      clientIds: [want.clientId],
      productIds: want.productIds,
      organization: want.organization,
    });
    return {
      client: await this.client(orgId, want.clientId, read.clients.get(want.clientId) ?? null),
      products: () => this.products(orgId, want.productIds, read.products),
      organization: read.organization,
    };
  }

  /**
   * The client, or undefined when it does not exist (or was deleted). `known` is its replica row when
   * the caller has read it already (null: no row), so only a miss costs another round trip.
   */
  async client(
    orgId: string,
    clientId: string,
    known?: ReplicaRead<ClientSnapshot> | null,
  ): Promise<ClientSnapshot | undefined> {
    const found =
      known === undefined ? (await readClients(this.orm.em, orgId, [clientId])).get(clientId) : known;
    if (found) return found.deleted ? undefined : (found.data ?? undefined);
    const request: ClientGetRequest = { orgId, clientId };
    const reply = await this.ask(RpcSubjects.CatalogClientGet, request, ClientReply);
    if (!reply.client) return undefined;
    const client = reply.client;
    await this.orm.em.fork().transactional((em) => upsertClient(em, orgId, client));
    return client;
  }

  /**
   * The products that exist among `ids`, by id (missing and deleted ones are left out). `known`: their
   * replica rows when the caller has read them already.
   */
  async products(
    orgId: string,
    ids: readonly string[],
    known?: ReadonlyMap<string, ReplicaRead<ProductSnapshot>>,
  ): Promise<Map<string, ProductSnapshot>> {
    const result = new Map<string, ProductSnapshot>();
    if (ids.length === 0) return result;
    const rows = known ?? (await readProducts(this.orm.em, orgId, ids));
    for (const [id, row] of rows) if (!row.deleted && row.data) result.set(id, row.data);
    const missing = ids.filter((id) => !rows.has(id));
    if (missing.length === 0) return result;
    const fetched = await Promise.all(
      missing.map((productId) => {
        const request: ProductGetRequest = { orgId, productId };
        return this.ask(RpcSubjects.CatalogProductGet, request, ProductReply);
      }),
    );
    const found = fetched.flatMap((reply) => (reply.product ? [reply.product] : []));
    if (found.length > 0) {
      await this.orm.em.fork().transactional(async (em) => {
        for (const product of found) await upsertProduct(em, orgId, product);
      });
    }
    for (const product of found) result.set(product.id, product);
    return result;
  }

  /**
   * The organization (the seller), or undefined when auth does not know it. `known`: its replica when
   * the caller has read it already (null: no row).
   */
  async organization(organizationId: string, known?: Organization | null): Promise<Organization | undefined> {
    const stored = known === undefined ? await readOrganization(this.orm.em, organizationId) : known;
    if (stored) return stored;
    const request: OrganizationGetRequest = { organizationId };
    const reply = await this.ask(RpcSubjects.AuthOrganizationGet, request, OrganizationReply);
    if (!reply.organization) return undefined;
    const organization = reply.organization;
    await this.orm.em.fork().transactional((em) => upsertOrganization(em, organization));
    return organization;
  }

  /** The organization as auth has it now (null when auth does not know it); nothing is stored. */
  async fetchOrganization(organizationId: string): Promise<Organization | null> {
    const request: OrganizationGetRequest = { organizationId };
    const reply = await this.ask(RpcSubjects.AuthOrganizationGet, request, OrganizationReply);
    return reply.organization;
  }

  private async ask<T>(
    subject: string,
    payload: ClientGetRequest | ProductGetRequest | OrganizationGetRequest,
    validator: { Check(value: unknown): value is T },
  ): Promise<T> {
    let reply: unknown;
    try {
      reply = await this.bus.request<unknown>(subject, payload, this.timeoutMs);
    } catch (error) {
      this.logger.warn({ err: error, subject }, 'replica request failed');
      throw new AppError('SERVICE_UNAVAILABLE', {
        detail: 'A service the invoice depends on did not answer',
        cause: error,
      });
    }
    if (!validator.Check(reply)) {
      this.logger.warn(
        { subject, error: (reply as { error?: unknown })?.error },
        'replica request got an unusable reply',
      );
      throw new AppError('SERVICE_UNAVAILABLE', {
        detail: 'A service the invoice depends on did not answer usefully',
      });
    }
    this.logger.debug({ subject }, 'replica fetched by request');
    return reply;
  }
}
