/**
 * Optimistic concurrency with entity tags (RFC 9110 §8.8.3, §13.1.1): the ETag of a resource is its
 * version as a strong tag, and `If-Match` must name it (or `*`) for a write to proceed.
 */

/** The strong entity tag of a version: `"3"`. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/**
 * True when a write may proceed. No header (or a blank one) means the caller does not ask for a
 * check. Weak tags (`W/"3"`) never match: If-Match uses the strong comparison.
 */
export function ifMatchAllows(header: string | undefined, version: number): boolean {
  if (header === undefined || header.trim() === '') return true;
  const wanted = etagFor(version);
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === wanted);
}
