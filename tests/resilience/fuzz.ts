/**
 * Hostile input for every public operation of the served OpenAPI document, generated with
 * fast-check from a fixed seed (the same run every time): garbage path parameters (malformed
 * percent-escapes, traversal, unicode, huge), query values of the wrong type or size, bodies of the
 * wrong shape (the operation's own property names with wrong values, missing and extra fields,
 * huge strings and numbers, deep nesting), invalid JSON, wrong content types, and header abuse
 * (huge headers, garbage tokens, Idempotency-Key and If-Match). Every answer must come within 5 s,
 * below 500, and every 4xx must be problem+json with a stable `code`.
 */
import http from 'node:http';
import fc from 'fast-check';

/** What the fuzzer found. */
export interface FuzzResult {
  requests: number;
  statuses: Map<number, number>;
  /** Each finding once per operation and kind, with one example. */
  findings: string[];
  slowest: number;
}

interface Operation {
  method: string;
  path: string;
  bodyProperties: string[];
  queryParameters: string[];
}

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  kind: string;
}

const TIMEOUT_MS = 5_000;

/** Left out: each ends every session of the caller (its access token answers 401 afterwards). */
const SESSION_ENDING = new Set(['POST /v1/auth/logout-all']);

/** Runs `total` generated requests (seeded) against `gatewayUrl`, authorized with `token`. */
export async function fuzz(
  gatewayUrl: string,
  token: string,
  options: { total: number; seed: number; concurrency?: number },
): Promise<FuzzResult> {
  const document = (await (await fetch(`${gatewayUrl}/docs/openapi.json`)).json()) as OpenApi;
  // Operations that end the caller's own sessions would turn the rest of the run into 401s.
  const operations = operationsOf(document).filter(
    (operation) => !SESSION_ENDING.has(`${operation.method} ${operation.path}`),
  );
  if (operations.length === 0) throw new Error('the served OpenAPI document has no operations');
  const requests = fc.sample(requestArbitrary(operations, token), {
    seed: options.seed,
    numRuns: options.total,
  });
  const result: FuzzResult = { requests: 0, statuses: new Map(), findings: [], slowest: 0 };
  const seen = new Set<string>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency ?? 16 });
  const base = new URL(gatewayUrl);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++] as FuzzRequest;
      const answer = await send(agent, base, request);
      result.requests += 1;
      result.statuses.set(answer.status, (result.statuses.get(answer.status) ?? 0) + 1);
      result.slowest = Math.max(result.slowest, answer.ms);
      const problem = judge(answer);
      const key = `${request.method} ${templateOf(request.path, operations)} ${request.kind} ${problem}`;
      if (problem && !seen.has(key)) {
        seen.add(key);
        result.findings.push(
          `${request.method} ${request.path.slice(0, 120)} [${request.kind}] → ${problem}: ${answer.body.slice(0, 160)}`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
  agent.destroy();
  return result;
}

interface Answer {
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

function judge(answer: Answer): string | undefined {
  if (answer.status === 0) return 'no answer within 5 s (or connection dropped)';
  if (answer.status >= 500) return `${answer.status}`;
  if (answer.status >= 400) {
    if (!answer.contentType.startsWith('application/problem+json'))
      return `${answer.status} not problem+json`;
    try {
      const code = (JSON.parse(answer.body) as { code?: unknown }).code;
      if (typeof code !== 'string' || !/^[A-Z][A-Z0-9_]+$/.test(code))
        return `${answer.status} without a code`;
    } catch {
      return `${answer.status} body is not JSON`;
    }
  }
  return undefined;
}

/**
 * Sends one request on a kept-alive connection. A server closes the connection after some refusals
 * (431, a body it will not read): a request that then fails on that reused socket is sent again on a
 * new connection, so only the server's own answers count.
 */
async function send(agent: http.Agent, base: URL, request: FuzzRequest): Promise<Answer> {
  const first = await sendOn(agent, base, request);
  return first.reusedSocketFailed ? sendOn(false, base, request) : first;
}

function sendOn(
  agent: http.Agent | false,
  base: URL,
  request: FuzzRequest,
): Promise<Answer & { reusedSocketFailed?: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number, contentType: string, body: string, reusedSocketFailed = false) =>
      resolve({ status, contentType, body, ms: performance.now() - started, reusedSocketFailed });
    let outgoing: http.ClientRequest;
    try {
      outgoing = http.request({
        agent,
        host: base.hostname,
        port: base.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...(request.body ? { 'content-length': request.body.length } : {}) },
        timeout: TIMEOUT_MS,
      });
    } catch (error) {
      // The client refused to send it (e.g. a character Node never puts on the wire): not a finding.
      return resolve({ status: -1, contentType: '', body: String(error), ms: 0 });
    }
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        done(
          response.statusCode ?? 0,
          String(response.headers['content-type'] ?? ''),
          Buffer.concat(chunks).toString(),
        ),
      );
      response.on('error', () => done(0, '', 'response error'));
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', (error) => done(0, '', String(error), outgoing.reusedSocket));
    outgoing.end(request.body);
  });
}

// --- the OpenAPI document --------------------------------------------------------------------

interface OpenApi {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}
interface OpenApiOperation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
}
interface SchemaObject {
  $ref?: string;
  properties?: Record<string, SchemaObject>;
  allOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  anyOf?: SchemaObject[];
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operationsOf(document: OpenApi): Operation[] {
  const resolve = (schema: SchemaObject | undefined, depth = 0): string[] => {
    if (!schema || depth > 5) return [];
    if (schema.$ref) {
      const name = schema.$ref.split('/').at(-1) as string;
      return resolve(document.components?.schemas?.[name], depth + 1);
    }
    const own = Object.keys(schema.properties ?? {});
    const nested = [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].flatMap(
      (part) => resolve(part, depth + 1),
    );
    return [...new Set([...own, ...nested])];
  };
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const content = operation.requestBody?.content ?? {};
      const schema = Object.values(content)[0]?.schema;
      operations.push({
        method: method.toUpperCase(),
        path,
        bodyProperties: resolve(schema),
        queryParameters: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      });
    }
  }
  return operations;
}

function templateOf(path: string, operations: Operation[]): string {
  const bare = path.split('?')[0] ?? path;
  const match = operations.find((operation) =>
    new RegExp(`^${operation.path.replace(/\{[^}]+\}/g, '[^/]*')}$`).test(bare),
  );
  return match?.path ?? bare.replace(/\/[^/]{20,}/g, '/…');
}

// --- the generators --------------------------------------------------------------------------

const garbageSegment = fc.oneof(
  fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4%A',
    '..',
    '%2e%2e',
    '%00',
    '%ff%fe',
    ' ',
    '%20',
    '-1',
    '0',
    'null',
    'undefined',
  ),
  fc.uuid(),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 20 }).map(encodeURIComponent),
  fc.constant('a'.repeat(5_000)),
  fc.constant(encodeURIComponent('𝕴𝖓𝖛𝖔𝖎𝖈𝖊')),
);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 50 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constant('x'.repeat(200_000)),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    1e308,
    -1e308,
    2 ** 53 + 1,
    -0,
    '1e999',
    'NaN',
    'Infinity',
    '-0.000000000000000000001',
    '99999999999999999999999.999',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.constant([{ __proto__: { polluted: true } }]),
);

function deepNesting(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

function requestArbitrary(operations: Operation[], token: string): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      operation: fc.constantFrom(...operations),
      segments: fc.array(garbageSegment, { minLength: 4, maxLength: 4 }),
      mode: fc.constantFrom(
        'wrong-values',
        'extra-fields',
        'empty-object',
        'not-an-object',
        'invalid-json',
        'deep-nesting',
        'wrong-content-type',
        'huge-header',
        'garbage-token',
        'no-token',
        'garbage-idempotency',
        'garbage-if-match',
        'garbage-query',
      ),
      values: fc.array(hostileValue, { minLength: 1, maxLength: 12 }),
      junk: fc.string({ maxLength: 200 }),
      extra: fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileValue, { maxKeys: 5 }),
    })
    .map(({ operation, segments, mode, values, junk, extra }) => {
      let index = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => segments[index++ % segments.length] as string);
      const headers: Record<string, string> = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
      };
      const object: Record<string, unknown> = {};
      operation.bodyProperties.forEach((name, i) => (object[name] = values[i % values.length]));
      let body: Buffer | undefined;
      let query = '';
      const json = (value: unknown) => {
        headers['content-type'] = 'application/json';
        return Buffer.from(JSON.stringify(value));
      };
      const hasBody = operation.method !== 'GET' && operation.method !== 'DELETE';
      switch (mode) {
        case 'wrong-values':
          if (hasBody) body = json(object);
          break;
        case 'extra-fields':
          if (hasBody) body = json({ ...object, ...extra });
          break;
        case 'empty-object':
          if (hasBody) body = json({});
          break;
        case 'not-an-object':
          if (hasBody) body = json(values[0]);
          break;
        case 'invalid-json':
          headers['content-type'] = 'application/json';
          body = Buffer.from(`{"${junk}`);
          break;
        case 'deep-nesting':
          headers['content-type'] = 'application/json';
          body = Buffer.from(deepNesting(100_000));
          break;
        case 'wrong-content-type':
          headers['content-type'] = junk.length % 2 ? 'text/plain' : 'application/xml';
          body = Buffer.from(junk || '<x/>');
          break;
        case 'huge-header':
          headers['x-filler'] = 'h'.repeat(64 * 1024);
          break;
        case 'garbage-token':
          headers.authorization = `Bearer ${junk.replace(/[^\x21-\x7e]/g, 'x')}.${'e'.repeat(10)}.x`;
          break;
        case 'no-token':
          delete headers.authorization;
          if (hasBody) body = json(object);
          break;
        case 'garbage-idempotency':
          headers['idempotency-key'] = junk.replace(/[^\x20-\x7e]/g, '?').slice(0, 150) || ' ';
          if (hasBody) body = json(object);
          break;
        case 'garbage-if-match':
          headers['if-match'] = junk.replace(/[^\x20-\x7e]/g, '?') || '"';
          if (hasBody) body = json(object);
          break;
        case 'garbage-query':
          query = `?${(operation.queryParameters.length ? operation.queryParameters : ['limit', 'cursor'])
            .map(
              (name, i) =>
                `${name}=${encodeURIComponent(String(JSON.stringify(values[i % values.length])).slice(0, 3000))}`,
            )
            .join('&')}`;
          break;
      }
      return { method: operation.method, path: `${path}${query}`, headers, body, kind: mode };
    });
}
