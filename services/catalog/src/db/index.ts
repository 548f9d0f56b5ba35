import { outboxEntities } from '@invoice/platform-outbox';
import { CategoryEntity } from './category.entity.ts';
import { ClientEntity } from './client.entity.ts';
import { ImportEntity } from './import.entity.ts';
import { ProductEntity } from './product.entity.ts';

export { migrations } from './migrations/index.ts';

/** Every entity of the catalog ORM. */
export const entities = [CategoryEntity, ClientEntity, ProductEntity, ImportEntity, ...outboxEntities];
