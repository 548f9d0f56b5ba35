/**
 * Tenant isolation, for every operation of the served OpenAPI document that names a resource by id:
 * organization A owns one resource of each kind; organization B's owner (every permission) calls
 * each such operation with A's ids and must get 404 problem+json, and afterwards every resource of A
 * reads exactly as before. Operations whose id kind A has no resource of are listed as not covered.
 */
import type { ApiClient } from '../../bench/lib/http.ts';

/** The ids of A's resources, by the path segment that precedes an id (`invoices`, `clients`, …). */
export type ResourceIds = Record<string, string>;

/** What the matrix found. */
export interface IsolationResult {
  calls: number;
  statuses: Map<number, number>;
  findings: string[];
  notCovered: string[];
}

/** Plausible bodies for operations that refuse `{}` before they look the resource up. */
const BODIES: Record<string, unknown> = {
  'POST /v1/invoices/{id}/void': { reason: 'isolation check' },
  'POST /v1/invoices/{id}/payments': { amount: '1.00', date: '2026-12-01', method: 'bank_transfer' },
  'POST /v1/invoices/{id}/payments/{paymentId}/refunds': { amount: '1.00', date: '2026-12-01' },
  'DELETE /v1/invoices/{id}/payments/{paymentId}': { reason: 'isolation check' },
  'PATCH /v1/invoices/{id}': { notes: 'isolation check' },
  'PATCH /v1/members/{id}': { role: 'member' },
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Calls every id-taking operation as B with A's ids. `readBack` lists the GET paths of A's
 * resources; they must answer the same before and after.
 */
export async function isolationMatrix(
  gatewayUrl: string,
  ownerA: ApiClient,
  ownerB: ApiClient,
  ids: ResourceIds,
  readBack: string[],
): Promise<IsolationResult> {
  const document = (await (await fetch(`${gatewayUrl}/docs/openapi.json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const result: IsolationResult = { calls: 0, statuses: new Map(), findings: [], notCovered: [] };
  const before = await Promise.all(readBack.map((path) => ownerA.request('GET', path)));
  for (const [template, item] of Object.entries(document.paths)) {
    if (!template.includes('{')) continue;
    for (const method of METHODS.filter((m) => item[m])) {
      const operation = `${method.toUpperCase()} ${template}`;
      const path = fillIds(template, ids);
      if (!path) {
        result.notCovered.push(operation);
        continue;
      }
      const body = method === 'get' || method === 'delete' ? BODIES[operation] : (BODIES[operation] ?? {});
      const answer = await ownerB.request(method.toUpperCase(), path, body, 10_000, {
        'idempotency-key': `isolation-${result.calls}-${Date.now()}`,
        'if-match': '"1"',
      });
      result.calls += 1;
      result.statuses.set(answer.status, (result.statuses.get(answer.status) ?? 0) + 1);
      if (answer.status !== 404 || !answer.contentType?.startsWith('application/problem+json')) {
        result.findings.push(
          `${operation} with A's ids as B → ${answer.status} (expected 404 problem+json): ${JSON.stringify(answer.json).slice(0, 160)}`,
        );
      }
    }
  }
  const after = await Promise.all(readBack.map((path) => ownerA.request('GET', path)));
  readBack.forEach((path, i) => {
    const [was, is] = [before[i], after[i]];
    if (JSON.stringify(was?.json) !== JSON.stringify(is?.json) || was?.status !== is?.status) {
      result.findings.push(`A's ${path} changed after B's calls`);
    }
  });
  return result;
}

/** The template with each `{param}` replaced by A's id of the kind named just before it, if known. */
function fillIds(template: string, ids: ResourceIds): string | undefined {
  const segments = template.split('/');
  for (let i = 0; i < segments.length; i++) {
    if (!segments[i]?.startsWith('{')) continue;
    const id = ids[segments[i - 1] ?? ''];
    if (!id) return undefined;
    segments[i] = id;
  }
  return segments.join('/');
}
