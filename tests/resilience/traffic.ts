/**
 * Steady traffic as a careful client sends it: each flow creates a client and a product, creates a
 * 5-line draft, issues it, sends it and records its payment in full, every step with its own
 * Idempotency-Key and retried with the same key until it succeeds
 * (network errors, 5xx, 409 "in progress") or its deadline passes. Arrivals are scheduled at
 * t0 + i/rate (open loop). Every response is counted by status, and 500s and answers slower than
 * `slowMs` are kept as findings.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiClient, ApiResult } from '../../bench/lib/http.ts';
import { draftBody } from '../../bench/lib/setup.ts';

/** One invoice's way through the API. */
export interface Flow {
  index: number;
  /** The client and the product the flow made (each must exist exactly once). */
  catalogWrites: number;
  /** True once its payment was recorded (the invoice must then be paid, by exactly one payment). */
  paid: boolean;
  invoiceId?: string;
  number?: string;
  issued: boolean;
  sent: boolean;
  error?: string;
}

/** What the traffic saw. */
export interface TrafficStats {
  flows: Flow[];
  statuses: Map<number, number>;
  /** 500s, and 4xx/5xx answers that were not problem+json (each a defect). */
  findings: string[];
  retries: number;
}

const STEP_DEADLINE_MS = 90_000;
const RETRYABLE = new Set([0, 409, 429, 502, 503, 504, 500]);

/** Runs `rate` flows per second for `seconds` on `api` (logged in) for `clientId`. */
export async function runTraffic(
  api: ApiClient,
  clientId: string,
  options: { rate: number; seconds: number; stop?: () => boolean },
): Promise<TrafficStats> {
  const stats: TrafficStats = { flows: [], statuses: new Map(), findings: [], retries: 0 };
  const started = performance.now();
  const total = Math.round(options.rate * options.seconds);
  const running: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / options.rate;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (options.stop?.()) break;
    const flow: Flow = { index: i, catalogWrites: 0, issued: false, sent: false, paid: false };
    stats.flows.push(flow);
    running.push(runFlow(api, clientId, flow, stats));
  }
  await Promise.all(running);
  return stats;
}

async function runFlow(api: ApiClient, clientId: string, flow: Flow, stats: TrafficStats): Promise<void> {
  try {
    const tag = `${flow.index}-${Date.now()}`;
    await step(
      api,
      stats,
      'POST',
      '/v1/clients',
      { name: `Flow client ${tag}`, email: `c${tag}@example.test` },
      201,
    );
    flow.catalogWrites += 1;
    await step(
      api,
      stats,
      'POST',
      '/v1/products',
      { name: `Flow product ${tag}`, unitPrice: '12.50', currency: 'EUR' },
      201,
    );
    flow.catalogWrites += 1;
    const draft = await step(api, stats, 'POST', '/v1/invoices', draftBody(clientId, 5), 201);
    flow.invoiceId = draft.json.id as string;
    const issued = await step(api, stats, 'POST', `/v1/invoices/${flow.invoiceId}/issue`, {}, 200);
    flow.number = issued.json.number as string;
    flow.issued = true;
    await step(api, stats, 'POST', `/v1/invoices/${flow.invoiceId}/send`, {}, 202);
    flow.sent = true;
    const due = (issued.json as { totals: { due: string } }).totals.due;
    await step(
      api,
      stats,
      'POST',
      `/v1/invoices/${flow.invoiceId}/payments`,
      { amount: due, date: '2026-12-01', method: 'bank_transfer' },
      201,
    );
    flow.paid = true;
  } catch (error) {
    flow.error = String((error as Error).message ?? error);
  }
}

/** One step, retried with the same Idempotency-Key until it answers `expected`. */
async function step(
  api: ApiClient,
  stats: TrafficStats,
  method: string,
  path: string,
  body: unknown,
  expected: number,
): Promise<ApiResult> {
  const key = randomUUID();
  const deadline = Date.now() + STEP_DEADLINE_MS;
  let delay = 200;
  for (;;) {
    let result: ApiResult;
    try {
      result = await api.request(method, path, body, 10_000, { 'idempotency-key': key });
    } catch (error) {
      result = { status: 0, json: { error: String(error) }, ms: 0, at: 0 };
    }
    record(stats, method, path, result);
    if (result.status === expected) return result;
    if (!RETRYABLE.has(result.status) || Date.now() > deadline) {
      throw new Error(`${method} ${path}: ${result.status} ${JSON.stringify(result.json).slice(0, 300)}`);
    }
    stats.retries += 1;
    await sleep(delay);
    delay = Math.min(2_000, delay * 2);
  }
}

/** Counts a response; a 500, or an error answer that is not problem+json, is a finding. */
export function record(
  stats: Pick<TrafficStats, 'statuses' | 'findings'>,
  method: string,
  path: string,
  result: ApiResult,
) {
  stats.statuses.set(result.status, (stats.statuses.get(result.status) ?? 0) + 1);
  const where = `${method} ${path.replace(/[0-9a-f-]{36}/g, '{id}')}`;
  if (result.status === 500)
    stats.findings.push(`${where} → 500 ${JSON.stringify(result.json).slice(0, 200)}`);
  else if (result.status >= 400 && !result.contentType?.startsWith('application/problem+json')) {
    stats.findings.push(`${where} → ${result.status} as ${result.contentType ?? 'no content type'}`);
  }
}
