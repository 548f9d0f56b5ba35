/**
 * Conditional requests (RFC 9110 §8.8.3, §13.1.1), the one implementation every service uses.
 *
 * - The ETag of a versioned resource is its version as a **strong** tag: `"3"`.
 * - `If-Match` is `*` or a comma-separated list of tags; it matches by the **strong comparison**,
 *   so a weak tag (`W/"3"`) never matches, and neither does anything that is not a quoted tag.
 * - A **missing or blank** `If-Match` means the client asks for no check: the write proceeds
 *   (last write wins), unless the route requires the header, in which case the answer is
 *   **428 PRECONDITION_REQUIRED**. A present header that names no current tag is **412
 *   PRECONDITION_FAILED**.
 *
 * The header is parsed once in the route ({@link parseIfMatch}) and checked where the row is
 * locked ({@link assertIfMatch}), so the check and the write see the same version.
 */
import { AppError } from '@invoice/contracts';
import { Type } from 'typebox';

/** A parsed `If-Match`: absent (no check), any current representation (`*`), or a list of tags. */
export type IfMatch =
  | { readonly kind: 'absent' }
  | { readonly kind: 'any' }
  | { readonly kind: 'tags'; readonly tags: readonly string[] };

const ABSENT: IfMatch = Object.freeze({ kind: 'absent' });
const ANY: IfMatch = Object.freeze({ kind: 'any' });

/** The strong entity tag of a version: `"3"`. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/** Parses the header's value(s); a missing or blank header is `absent`. */
export function parseIfMatch(header: string | readonly string[] | undefined): IfMatch {
  const value = (Array.isArray(header) ? header.join(',') : ((header as string | undefined) ?? '')).trim();
  if (value === '') return ABSENT;
  const members = value
    .split(',')
    .map((member) => member.trim())
    .filter((member) => member !== '');
  if (members.includes('*')) return ANY;
  return Object.freeze({ kind: 'tags', tags: Object.freeze(members) });
}

/** True when a write to a resource at `version` may proceed (strong comparison). */
export function ifMatchAllows(ifMatch: IfMatch, version: number): boolean {
  if (ifMatch.kind !== 'tags') return true;
  const current = etagFor(version);
  return ifMatch.tags.includes(current);
}

/**
 * Throws 428 PRECONDITION_REQUIRED when the route requires a condition and none was given, and
 * 412 PRECONDITION_FAILED when the given one does not name `version`.
 */
export function assertIfMatch(
  ifMatch: IfMatch,
  version: number,
  options: { required?: boolean; resource?: string } = {},
): void {
  if (ifMatch.kind === 'absent' && options.required) throw new AppError('PRECONDITION_REQUIRED');
  if (!ifMatchAllows(ifMatch, version)) {
    throw new AppError('PRECONDITION_FAILED', {
      detail: `The ${options.resource ?? 'resource'} is at version ${version} (ETag ${etagFor(version)})`,
    });
  }
}

/** The documented `If-Match` request header of a conditional write. */
export const IfMatchHeaderSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      description:
        'The ETag of the version this change is based on (strong comparison; `*` matches any). ' +
        'Without it the change applies to whatever version is current; a stale tag is 412.',
    }),
  ),
});

/**
 * True when an `If-None-Match` value names `etag` by the weak comparison (RFC 9110 §13.1.2, where
 * `W/"3"` and `"3"` match) or is `*`: a GET may then answer 304 Not Modified.
 */
export function ifNoneMatchIncludes(header: string | readonly string[], etag: string): boolean {
  const value = Array.isArray(header) ? header.join(',') : (header as string);
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const member of value.split(',')) {
    const tag = member.trim();
    if (tag === '*' || (tag.startsWith('W/') ? tag.slice(2) : tag) === opaque) return true;
  }
  return false;
}
