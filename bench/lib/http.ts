/**
 * A small keep-alive JSON client of the public API (node:http, one agent per scenario): cheaper per
 * request than fetch, so the load generator takes less of the machine it measures.
 */
import http from 'node:http';
import { now } from './stats.ts';

/** A response: status, parsed JSON body (undefined when empty or not JSON) and its duration. */
export interface ApiResult {
  status: number;
  // Response bodies are the services' contracts; the bench reads a few fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
  ms: number;
  /** When the response had arrived completely (see {@link now}). */
  at: number;
  /** The Content-Type header, if any. */
  contentType?: string | undefined;
}

/** A client of one base URL with at most `maxSockets` connections. */
export class ApiClient {
  private readonly agent: http.Agent;
  private readonly base: URL;
  token: string | undefined;

  constructor(baseUrl: string, maxSockets = 64) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  request(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 60_000,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResult> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { accept: 'application/json', ...extraHeaders };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const started = now();
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          headers,
          timeout: timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const at = now();
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({
              status: response.statusCode ?? 0,
              json,
              ms: at - started,
              at,
              contentType: response.headers['content-type'],
            });
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** Like {@link request}, but a network error becomes status 0 (counted, not thrown). */
  async call(method: string, path: string, body?: unknown): Promise<ApiResult> {
    const started = now();
    try {
      return await this.request(method, path, body);
    } catch (error) {
      const at = now();
      return { status: 0, json: { error: String(error) }, ms: at - started, at };
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Throws with the response when the status is not the expected one. */
export function expectStatus(result: ApiResult, expected: number, what: string): ApiResult {
  if (result.status !== expected) {
    throw new Error(`${what}: expected ${expected}, got ${result.status} ${JSON.stringify(result.json)}`);
  }
  return result;
}
