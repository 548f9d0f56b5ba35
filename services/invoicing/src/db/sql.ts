/** Raw SQL helpers (table names come from platform-db's `qualified`). */

/** `?, ?, ?` for `count` parameters. */
export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
