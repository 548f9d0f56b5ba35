/** Real HTTP servers standing in for the services behind the gateway. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a recording upstream answers on `/readyz`: 200, 503, or nothing at all. */
export type UpstreamReadiness = 'ready' | 'not_ready' | 'hang';

/** A recording upstream: every request that reached it, and a switchable `/readyz`. */
export interface TestUpstream {
  url: string;
  seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[];
  readiness: UpstreamReadiness;
  stop: () => Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * Starts an upstream that reads each request whole, records it and answers `{ upstream: name }`;
 * `/openapi.json` is a one-path document, `/readyz` answers as `readiness` says.
 */
export async function startUpstream(name: string): Promise<TestUpstream> {
  const upstream: TestUpstream = { url: '', seen: [], readiness: 'ready', stop: async () => undefined };
  const server = createServer((request, response) => {
    if (request.url === '/readyz') {
      if (upstream.readiness === 'hang') return;
      response.statusCode = upstream.readiness === 'ready' ? 200 : 503;
      response.setHeader('content-type', 'application/json');
      return response.end(JSON.stringify({ status: upstream.readiness }));
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      upstream.seen.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      response.setHeader('content-type', 'application/json');
      if (request.url === '/openapi.json') {
        return response.end(
          JSON.stringify({
            paths: { [`/v1/${name}`]: { get: {} } },
            components: { schemas: { [name]: {} } },
          }),
        );
      }
      response.end(JSON.stringify({ upstream: name }));
    });
  });
  upstream.url = await listen(server);
  upstream.stop = () => close(server);
  return upstream;
}

/**
 * Starts an upstream that answers every request at once with `status` and `body`, without reading
 * the request body, and closes the connection: what a service does with a body over its own
 * limit, an unsupported media type, or while shedding load.
 */
export async function startEarlyUpstream(
  status: number,
  body: Record<string, unknown>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/problem+json', connection: 'close' });
    response.end(JSON.stringify(body));
  });
  const url = await listen(server);
  return { url, stop: () => close(server) };
}

/** A URL where nothing listens. */
export const CLOSED_PORT_URL = 'http://127.0.0.1:1';
