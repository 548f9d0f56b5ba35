/**
 * Request/reply lookups for services whose replica has not caught up (DESIGN §5.2): the same
 * lookups the HTTP routes use, answering null for a missing, deleted or other organization's item.
 */
import {
  AppError,
  IdSchema,
  RpcSubjects,
  type ClientSnapshot,
  type ProductSnapshot,
} from '@invoice/contracts';
import type { Bus } from '@invoice/platform-bus';
import type { MikroORM } from '@invoice/platform-db';
import { Type, type Static, type TObject } from 'typebox';
import { Compile } from 'typebox/compile';
import { findClientSnapshot } from '../application/clients.service.ts';
import { findProductSnapshot } from '../application/products.service.ts';

/** Payload of `rpc.catalog.client.get`. */
export const ClientGetRequestSchema = Type.Object({ orgId: IdSchema, clientId: IdSchema });
/** Payload of `rpc.catalog.product.get`. */
export const ProductGetRequestSchema = Type.Object({ orgId: IdSchema, productId: IdSchema });

const clientGet = Compile(ClientGetRequestSchema);
const productGet = Compile(ProductGetRequestSchema);

/** Starts both responders (queue group per subject, so API replicas share requests). */
export function registerResponders(bus: Bus, orm: MikroORM): ReturnType<Bus['respond']>[] {
  return [
    bus.respond(RpcSubjects.CatalogClientGet, async (payload): Promise<{ client: ClientSnapshot | null }> => {
      const { orgId, clientId } = parse(clientGet, payload);
      return { client: await findClientSnapshot(orm, orgId, clientId) };
    }),
    bus.respond(
      RpcSubjects.CatalogProductGet,
      async (payload): Promise<{ product: ProductSnapshot | null }> => {
        const { orgId, productId } = parse(productGet, payload);
        return { product: await findProductSnapshot(orm, orgId, productId) };
      },
    ),
  ];
}

/** A malformed request is the caller's bug: answered as `{ error: { code: 'VALIDATION_FAILED' } }`. */
function parse<T extends TObject>(validator: ReturnType<typeof Compile<T>>, payload: unknown): Static<T> {
  if (validator.Check(payload)) return payload as Static<T>;
  const problems = [...validator.Errors(payload)].map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new AppError('VALIDATION_FAILED', { detail: `invalid request: ${problems.join('; ')}` });
}
