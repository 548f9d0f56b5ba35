/** Small HTTP helpers shared by the invoice routes: error responses and If-Match. */
import { ProblemRef } from '@invoice/platform-http';
import { Type } from 'typebox';
import type { ExpectedVersions } from '../application/preconditions.ts';

/** Problem responses for the given statuses (every route declares each status it can answer). */
export function problems(...statuses: number[]): Record<number, typeof ProblemRef> {
  return Object.fromEntries([401, ...statuses].map((status) => [status, ProblemRef]));
}

/** `If-Match` on edits of a draft. */
export const IfMatchHeadersSchema = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the version the change is based on' })),
});

/**
 * The versions an `If-Match` header accepts (`"3"`, `W/"3"`, a list); undefined for none or `*`.
 * Anything unparsable matches no version, so it fails with 412 as RFC 9110 §13.1.1 asks.
 */
export function parseIfMatch(header: string | undefined): ExpectedVersions {
  if (header === undefined || header.trim() === '*') return undefined;
  return header.split(',').map((tag) => {
    const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(tag);
    return match ? Number(match[1]) : -1;
  });
}

/** Security requirement of every authenticated route. */
export const bearer = [{ bearerAuth: [] }];
