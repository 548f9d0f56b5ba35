/** Paging of lists: opaque id cursors from the platform (`encodeCursor`/`decodeCursor`/`pageOf`). */

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Default page size when `limit` is absent. */
export const DEFAULT_LIMIT = 50;
