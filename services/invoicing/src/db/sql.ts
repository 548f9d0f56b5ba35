/** Raw SQL helpers: schema-qualified names (raw SQL never relies on the search path). */
import type { EntityManager } from '@invoice/platform-db';

/** `"invoicing"."<table>"` for the ORM's configured schema. */
export function table(em: EntityManager, name: string): string {
  return `"${em.config.get('schema')}"."${name}"`;
}

/** `?, ?, ?` for `count` parameters. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
