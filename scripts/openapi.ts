/**
 * Writes the merged OpenAPI document exactly as the gateway serves it at `/docs/openapi.json`
 * (every service started in this process against the local Postgres, NATS and Redis, as the tests
 * do), so it can be linted: `tsx scripts/openapi.ts <file>` (default `.data/openapi.json`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { startApis } from '../tests/api/support/apis.ts';

const target = process.argv[2] ?? '.data/openapi.json';
const apis = await startApis();
try {
  const response = await fetch(`${apis.gatewayUrl}/docs/openapi.json`);
  if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
  const document = (await response.json()) as { paths: Record<string, unknown> };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
  console.error(`wrote ${target} (${Object.keys(document.paths).length} paths)`);
} finally {
  await apis.close();
}
