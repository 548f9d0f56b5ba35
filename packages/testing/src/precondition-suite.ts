/**
 * The one `If-Match` conformance suite (RFC 9110 §13.1.1, as `packages/http/src/preconditions.ts`
 * implements it). Every service with conditional writes runs it against its own routes, so they
 * cannot drift apart again.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';

/** The outcome of one conditional write. */
export interface ConditionalWriteResult {
  status: number;
  /** The response's ETag header, when the write succeeded. */
  etag?: string | undefined;
  /** The parsed problem+json body on failure. */
  body?: { code?: string } | undefined;
}

/**
 * A resource under test: made fresh per case, then written with a given `If-Match` (or none). A
 * successful update answers with the resource's new ETag; a successful delete (204) with none.
 */
export interface ConditionalResource {
  /** The resource's current ETag (strong, e.g. `"1"`). */
  etag: string;
  /** Applies a harmless change with this `If-Match` header value (`undefined`: no header). */
  write(ifMatch: string | undefined): Promise<ConditionalWriteResult>;
}

/**
 * Registers the suite's cases; `fresh` makes a new resource for each case. `write` is `update`
 * (the default: success carries a new ETag) or `delete` (success is a 2xx without one).
 */
export function preconditionSuite(
  fresh: () => Promise<ConditionalResource>,
  options: { write?: 'update' | 'delete' } = {},
): void {
  const succeeds = async (header: (etag: string) => string | undefined) => {
    const resource = await fresh();
    const result = await resource.write(header(resource.etag));
    assert.ok(result.status >= 200 && result.status < 300, `expected 2xx, got ${result.status}`);
    if (options.write === 'delete') {
      assert.equal(result.etag, undefined, 'a deleted resource has no current ETag');
      return;
    }
    assert.ok(result.etag, 'a successful write answers with the new ETag');
    assert.notEqual(result.etag, resource.etag, 'the ETag changes with the write');
  };
  const fails = async (header: (etag: string) => string) => {
    const resource = await fresh();
    const result = await resource.write(header(resource.etag));
    assert.equal(result.status, 412);
    assert.equal(result.body?.code, 'PRECONDITION_FAILED');
    // Nothing changed: the original tag still matches.
    const retry = await resource.write(resource.etag);
    assert.ok(retry.status >= 200 && retry.status < 300, 'a refused write leaves the resource as it was');
  };

  it('If-Match absent: the write applies to the current version', () => succeeds(() => undefined));
  it('If-Match blank: the same as absent', () => succeeds(() => '  '));
  it('If-Match with the current strong ETag: the write applies', () => succeeds((etag) => etag));
  it('If-Match *: the write applies', () => succeeds(() => '*'));
  it('If-Match list naming the current ETag: the write applies', () =>
    succeeds((etag) => `"999999", ${etag}`));
  it('If-Match with the current ETag as a weak tag: 412 (strong comparison)', () =>
    fails((etag) => `W/${etag}`));
  it('If-Match with a stale ETag: 412', () => fails(() => '"999999"'));
  it('If-Match list without the current ETag: 412', () => fails(() => '"999998", "999999"'));
  it('If-Match with an unquoted version: 412 (not an entity tag)', () =>
    fails((etag) => etag.replaceAll('"', '')));
}
