/**
 * Every service's API in this process, each through the platform's service harness (its own
 * database, NATS namespace and Redis prefix; no consumers, relay or workers), listening on a free
 * loopback port, and the gateway in front of them: what `/docs` and the public document need.
 */
import type { AddressInfo } from 'node:net';
import { startServiceHarness } from '@invoice/platform-testing';
import type { App } from '@invoice/platform-http';
import { service as auth } from '../../../services/auth/src/service.ts';
import { service as catalog } from '../../../services/catalog/src/service.ts';
import { service as invoicing } from '../../../services/invoicing/src/service.ts';
import { service as document } from '../../../services/document/src/service.ts';
import { service as notification } from '../../../services/notification/src/service.ts';
import { service as gateway } from '../../../services/gateway/src/service.ts';

/** The running APIs: the gateway's URL and a way to stop everything. */
export interface RunningApis {
  gatewayUrl: string;
  gateway: App;
  close: () => Promise<void>;
}

async function listen(app: App): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

type Closable = { app: App; close: () => Promise<void> };

/** Starts the five services and the gateway (`env` goes to the gateway). */
export async function startApis(env: Record<string, string> = {}): Promise<RunningApis> {
  const quiet = { consumers: false, relay: 'manual' } as const;
  const started: Closable[] = [];
  const close = async () => {
    await Promise.all(started.map((harness) => harness.close().catch(() => undefined)));
  };
  try {
    const harnesses = await Promise.all([
      startServiceHarness(auth, quiet),
      startServiceHarness(catalog, quiet),
      startServiceHarness(invoicing, quiet),
      startServiceHarness(document, { ...quiet, s3: true }),
      startServiceHarness(notification, { ...quiet, smtp: true }),
    ]);
    started.push(...harnesses);
    const [authUrl, catalogUrl, invoicingUrl, documentUrl, notificationUrl] = await Promise.all(
      harnesses.map((harness) => listen(harness.app)),
    );
    const front = await startServiceHarness(gateway, {
      env: {
        AUTH_URL: authUrl!,
        CATALOG_URL: catalogUrl!,
        INVOICING_URL: invoicingUrl!,
        DOCUMENT_URL: documentUrl!,
        NOTIFICATION_URL: notificationUrl!,
        ...env,
      },
    });
    started.push(front);
    return { gatewayUrl: await listen(front.app), gateway: front.app, close };
  } catch (error) {
    await close();
    throw error;
  }
}
