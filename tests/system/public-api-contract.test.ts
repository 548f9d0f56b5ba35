/**
 * The public API as an integrator meets it: a client generated from the document the gateway
 * serves (`/docs/openapi.json`, openapi-typescript) drives the whole flow against every service
 * running as its own process, and every response, errors included, must match the document's
 * schema for its status and content type.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiContract, waitFor, type ReceivedResponse } from '@invoice/platform-testing';
import type { FlowHooks, FlowResult } from './contract/flow-types.ts';
import { prepareSystem, startServices, stopServices, type SystemEnvironment } from './support/system.ts';

const run = promisify(execFile);
const CONTRACT_DIR = path.join(import.meta.dirname, 'contract');

/** Type-checks the flow against the generated types (strict, as an integrator's project would). */
async function typeCheckFlow(): Promise<void> {
  const tsc = path.join(import.meta.dirname, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
  await run(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--target',
      'es2023',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--allowImportingTsExtensions',
      '--types',
      'node',
      path.join(CONTRACT_DIR, 'flow.ts'),
    ],
    { timeout: 120_000 },
  ).catch((error: { stdout?: string }) => {
    throw new Error(`the flow does not compile against the served document:\n${error.stdout ?? error}`);
  });
}

describe('public API contract: a generated client through the whole flow', { timeout: 300_000 }, () => {
  let system: SystemEnvironment;
  const children: ChildProcess[] = [];

  before(async () => {
    system = await prepareSystem();
    await startServices(system, children);
  });

  after(async () => {
    await stopServices(children);
    await system?.cleanup();
  });

  it('drives sign-up to payment with every response matching the document', async () => {
    const document = (await (await fetch(`${system.gatewayUrl}/docs/openapi.json`)).json()) as Record<
      string,
      unknown
    >;
    mkdirSync(path.join(CONTRACT_DIR, 'generated'), { recursive: true });
    writeFileSync(
      path.join(CONTRACT_DIR, 'generated', 'public-api.ts'),
      astToString(await openapiTS(document as unknown as OpenAPI3)),
    );
    await typeCheckFlow();

    const contract = openApiContract(document);
    const responses: ReceivedResponse[] = [];
    // Loaded by path: type-checking this file must not need the generated types (flow.ts was
    // checked against them just above).
    const flowModule = pathToFileURL(path.join(CONTRACT_DIR, 'flow.ts')).href;
    const { runContractFlow } = (await import(flowModule)) as {
      runContractFlow: (baseUrl: string, namespace: string, hooks: FlowHooks) => Promise<FlowResult>;
    };
    const result = await runContractFlow(system.gatewayUrl, system.namespace, {
      observe: (response) => responses.push(response),
      waitFor: (probe, what) => waitFor(probe, { timeoutMs: 60_000, what }),
      verificationToken: async (email) => {
        const mail = await system.smtp.waitForMail((m) => m.envelopeTo.includes(email));
        const token = /token=([A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')?.[1];
        assert.ok(token, 'the verification email carries a token');
        return token;
      },
    });

    assert.equal(result.invoiceStatus, 'paid', result.steps.join('\n'));
    const statuses = new Set(responses.map((r) => r.status));
    for (const status of [200, 201, 202, 302, 304, 400, 401, 403, 404]) {
      assert.ok(statuses.has(status), `the flow met a ${status} (${result.steps.join(', ')})`);
    }
    const violations = responses.flatMap((response) => contract.violations(response));
    console.log(`${responses.length} responses checked:\n${result.steps.join('\n')}`);
    assert.deepEqual(violations, [], `${responses.length} responses checked`);
  });
});
