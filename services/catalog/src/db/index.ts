import { outboxEntities } from '@invoice/platform-outbox';
import { ClientEntity } from './client.entity.ts';
import { ProductEntity } from './product.entity.ts';

export { migrations } from './migrations/index.ts';

/** Every entity of the catalog ORM. */
export const entities = [ClientEntity, ProductEntity, ...outboxEntities];
