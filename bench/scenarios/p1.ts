/**
 * P1: create + issue of a 20-line invoice through the gateway, N in flight (closed loop), with the
 * render and email workers stopped (document and notification run `ROLE=api`; the issued events
 * wait in their stream). Ceiling in the same run: the same rows (invoice + 20 lines, one
 * transaction, multi-row insert) written by plain `pg`, same concurrency, into scratch tables shaped
 * like invoicing's (`create table … (like invoicing.… including all)`).
 */
import pg from 'pg';
import { newId } from '@invoice/contracts';
import { startBudget, withPeaks, type Budgets } from '../lib/budget.ts';
import type { ApiClient } from '../lib/http.ts';
import { connectNats, createAndIssue, createOrganization, draftBody } from '../lib/setup.ts';
import { summarize, now, type LatencySummary } from '../lib/stats.ts';
import type { IsolatedSystem, SystemUnderTest } from '../lib/system.ts';

export interface P1Options {
  seconds: number;
  /** In-flight levels; the first is the headline (the target's 16), the others a short sweep. */
  concurrency: number[];
  warmupSeconds: number;
  ceilingSeconds: number;
  log: (line: string) => void;
}

/** One closed-loop run. */
export interface LoopResult {
  concurrency: number;
  seconds: number;
  invoices: number;
  invoicesPerSecond: number;
  errors: number;
  firstError?: string;
  latencyMs: LatencySummary;
}

export interface P1Result {
  workersStopped: boolean;
  main: LoopResult;
  sweep: LoopResult[];
  best: LoopResult;
  ceiling: LoopResult;
  ceilingShare: number;
  budgets: Budgets;
}

/** Runs `operation` with `concurrency` in flight for `seconds`; counts what completes in time. */
async function closedLoop(
  concurrency: number,
  seconds: number,
  operation: () => Promise<string | undefined>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (now() < end) {
        const t0 = now();
        let error: string | undefined;
        try {
          error = await operation();
        } catch (caught) {
          error = String(caught);
        }
        const t1 = now();
        if (error !== undefined) {
          errors++;
          firstError ??= error;
          if (errors > 50 && errors > latencies.length) throw new Error(`too many errors: ${firstError}`);
        } else if (t1 <= end) latencies.push(t1 - t0);
      }
    }),
  );
  const elapsed = (Math.min(now(), end) - started) / 1000;
  return {
    concurrency,
    seconds: Math.round(elapsed * 10) / 10,
    invoices: latencies.length,
    invoicesPerSecond: Math.round((latencies.length / elapsed) * 10) / 10,
    errors,
    ...(firstError ? { firstError: firstError.slice(0, 300) } : {}),
    latencyMs: summarize(latencies),
  };
}

/** One create + issue through the API; an error message, or undefined when both succeeded. */
function apiOperation(api: ApiClient, body: Record<string, unknown>) {
  return async (): Promise<string | undefined> => {
    const draft = await api.call('POST', '/v1/invoices', body);
    if (draft.status !== 201) return `create ${draft.status} ${JSON.stringify(draft.json).slice(0, 200)}`;
    const issued = await api.call('POST', `/v1/invoices/${draft.json.id as string}/issue`, {});
    if (issued.status !== 200) return `issue ${issued.status} ${JSON.stringify(issued.json).slice(0, 200)}`;
    return undefined;
  };
}

/** The raw-`pg` ceiling: the stored rows of a real issued invoice, copied with new ids. */
async function rawCeiling(
  system: SystemUnderTest,
  orgId: string,
  concurrency: number,
  seconds: number,
): Promise<LoopResult> {
  const pool = new pg.Pool({ connectionString: system.databaseUrl, max: concurrency });
  try {
    const template = await pool.query(
      `select * from invoicing.invoices where org_id = $1 and status = 'issued' order by id desc limit 1`,
      [orgId],
    );
    const invoice = template.rows[0] as Record<string, unknown> | undefined;
    if (!invoice) throw new Error('no issued invoice to copy for the ceiling');
    const lines = (
      await pool.query(`select * from invoicing.invoice_lines where invoice_id = $1 order by position`, [
        invoice.id,
      ])
    ).rows as Record<string, unknown>[];
    const types = await pool.query<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'invoicing' and table_name in ('invoices', 'invoice_lines')`,
    );
    const json = new Set(
      types.rows
        .filter((row) => row.data_type.startsWith('json'))
        .map((r) => `${r.table_name}.${r.column_name}`),
    );
    const value = (table: string, column: string, raw: unknown) =>
      json.has(`${table}.${column}`) && raw !== null ? JSON.stringify(raw) : raw;
    await pool.query(`drop schema if exists bench_ceiling cascade`);
    await pool.query(`create schema bench_ceiling`);
    await pool.query(`create table bench_ceiling.invoices (like invoicing.invoices including all)`);
    await pool.query(`create table bench_ceiling.invoice_lines (like invoicing.invoice_lines including all)`);
    await pool.query(
      `alter table bench_ceiling.invoice_lines add foreign key (invoice_id)
         references bench_ceiling.invoices (id) on delete cascade`,
    );
    const invoiceColumns = Object.keys(invoice);
    const lineColumns = Object.keys(lines[0] ?? {});
    const quote = (column: string) => `"${column}"`;
    const insertInvoice = `insert into bench_ceiling.invoices (${invoiceColumns.map(quote).join(', ')})
      values (${invoiceColumns.map((_, i) => `$${i + 1}`).join(', ')})`;
    const insertLines = `insert into bench_ceiling.invoice_lines (${lineColumns.map(quote).join(', ')}) values ${lines
      .map((_, row) => `(${lineColumns.map((_c, i) => `$${row * lineColumns.length + i + 1}`).join(', ')})`)
      .join(', ')}`;
    let sequence = 0;
    const operation = async (): Promise<undefined> => {
      const id = newId();
      const at = new Date();
      const number = `CEIL-${++sequence}-${id.slice(-6)}`;
      const row = invoiceColumns.map((column) => {
        if (column === 'id') return id;
        if (column === 'number') return number;
        if (column === 'created_at' || column === 'updated_at' || column === 'issued_at') return at;
        return value('invoices', column, invoice[column]);
      });
      const lineValues = lines.flatMap((line) =>
        lineColumns.map((column) =>
          column === 'invoice_id' ? id : value('invoice_lines', column, line[column]),
        ),
      );
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query(insertInvoice, row);
        await client.query(insertLines, lineValues);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      return undefined;
    };
    await closedLoop(concurrency, Math.min(2, seconds), operation); // warm-up: connections, plans
    return await closedLoop(concurrency, seconds, operation);
  } finally {
    await pool.query(`drop schema if exists bench_ceiling cascade`).catch(() => undefined);
    await pool.end();
  }
}

export async function runP1(system: SystemUnderTest, options: P1Options): Promise<P1Result> {
  const { log } = options;
  if (system.isolated) {
    log('P1: starting the system (document and notification ROLE=api: no render or email workers)');
    await (system as IsolatedSystem).start({ document: 'api', notification: 'api' });
  }
  const nc = await connectNats(system);
  const maxConcurrency = Math.max(...options.concurrency);
  const org = await createOrganization(system, nc, { clients: 1, maxSockets: maxConcurrency });
  try {
    const clientId = org.clientIds[0] as string;
    await createAndIssue(org.api, clientId); // the replicas are there (or fetched) before timing
    const operation = apiOperation(org.api, draftBody(clientId));
    const [main, ...others] = options.concurrency as [number, ...number[]];
    log(`P1: warm-up ${options.warmupSeconds}s at ${main} in flight`);
    await closedLoop(main, options.warmupSeconds, operation);

    log(`P1: ${options.seconds}s at ${main} in flight`);
    const budget = startBudget(() => system.processes());
    const mainRun = await closedLoop(main, options.seconds, operation);
    const budgets = budget.finish(mainRun.invoices);
    log(
      `P1: ${mainRun.invoicesPerSecond}/s, p50 ${mainRun.latencyMs.p50} ms, p99 ${mainRun.latencyMs.p99} ms`,
    );
    const sweep: LoopResult[] = [mainRun];
    for (const concurrency of others) {
      const seconds = Math.max(5, Math.round(options.seconds / 3));
      log(`P1: sweep ${seconds}s at ${concurrency} in flight`);
      const run = await closedLoop(concurrency, seconds, operation);
      log(`P1: ${run.invoicesPerSecond}/s, p99 ${run.latencyMs.p99} ms`);
      sweep.push(run);
    }
    const best = sweep.reduce((a, b) => (b.invoicesPerSecond > a.invoicesPerSecond ? b : a));

    // Peak RSS over the whole scenario, sweep included (VmHWM is a high-water mark).
    const finalBudgets = withPeaks(budgets, system.processes());
    // The ceiling runs on a quiet machine: the services (and the relay's backlog) are stopped first.
    if (system.isolated) await (system as IsolatedSystem).stopServices();
    log(`P1: ceiling, plain pg, ${options.ceilingSeconds}s at ${main} in flight`);
    const ceiling = await rawCeiling(system, org.orgId, main, options.ceilingSeconds);
    log(`P1: ceiling ${ceiling.invoicesPerSecond}/s, p99 ${ceiling.latencyMs.p99} ms`);
    return {
      workersStopped: system.isolated,
      main: mainRun,
      sweep,
      best,
      ceiling,
      ceilingShare: Math.round((mainRun.invoicesPerSecond / ceiling.invoicesPerSecond) * 1000) / 10,
      budgets: finalBudgets,
    };
  } finally {
    org.api.close();
    await nc.close();
  }
}
