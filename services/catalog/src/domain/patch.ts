/** A PATCH body: each field absent (unchanged), `null` (cleared) or a new value. */
export type Patch<T> = { [K in keyof T]?: T[K] | null };

/**
 * Applies a PATCH body (JSON merge patch semantics, RFC 7396, one level deep): absent keys keep
 * their value, `null` removes the field, anything else replaces it (nested objects as a whole).
 * Which fields may be null is the schema's job.
 */
export function mergePatch<T extends object>(current: T, patch: Patch<T>): T {
  const next = { ...current } as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as T;
}

/** Deep equality of JSON-like values, ignoring key order and keys whose value is undefined. */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
