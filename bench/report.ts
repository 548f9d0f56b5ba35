/** The results of a bench run: their shape, the pass/fail of each target, and the README table. */
import type { Budgets } from './lib/budget.ts';
import type { machineInfo } from './lib/procfs.ts';
import type { LatencySummary } from './lib/stats.ts';
import type { P1Result } from './scenarios/p1.ts';
import type { P2Result } from './scenarios/p2.ts';
import type { P4Result } from './scenarios/p4.ts';

/** One target of issue 7, judged. */
export interface TargetResult {
  id: string;
  what: string;
  measured: string;
  ceiling: string;
  target: string;
  pass: boolean;
}

/** Everything a run writes to `bench/results/<date>.json`. */
export interface BenchResults {
  date: string;
  startedAt: string;
  finishedAt: string;
  partial: boolean;
  options: Record<string, unknown>;
  system: string;
  machine: ReturnType<typeof machineInfo> & { postgres: string; nats: string; redis: string };
  machineAfter: { loadAverage: number[] };
  git: { commit: string; changedFiles: number };
  rssLimitMb: number;
  scenarios: { P1?: P1Result; P2?: P2Result; P4?: P4Result };
  /** The first line of the error of each scenario that failed to run. */
  errors: Record<string, string>;
  targets: TargetResult[];
}

/** A figure, or `n/a` when there was no sample (NaN in the run, null once read back from JSON). */
const figure = (value: number | null) =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : 'n/a';
const ms = (value: number | null) => (figure(value) === 'n/a' ? 'n/a' : `${value} ms`);
/** True only for a real figure under the limit (no samples never passes). */
const below = (value: number | null, limit: number) =>
  typeof value === 'number' && Number.isFinite(value) && value < limit;

/** Judges every target whose scenario ran. */
export function evaluateTargets(results: BenchResults): TargetResult[] {
  const targets: TargetResult[] = [];
  const { P1, P2, P4 } = results.scenarios;
  if (P1) {
    const { main, ceiling } = P1;
    targets.push(
      {
        id: 'P1',
        what: `create + issue, 20 lines, ${main.concurrency} in flight: throughput`,
        measured: `${main.invoicesPerSecond} invoices/s${main.errors ? ` (${main.errors} errors)` : ''}`,
        ceiling: `plain pg: ${ceiling.invoicesPerSecond}/s (API at ${P1.ceilingShare} %)`,
        target: '≥ 200 invoices/s',
        pass: main.invoicesPerSecond >= 200 && main.errors === 0,
      },
      {
        id: 'P1',
        what: 'create + issue latency',
        measured: `p50 ${ms(main.latencyMs.p50)}, p95 ${ms(main.latencyMs.p95)}, p99 ${ms(main.latencyMs.p99)}`,
        ceiling: `plain pg: p50 ${ms(ceiling.latencyMs.p50)}, p99 ${ms(ceiling.latencyMs.p99)}`,
        target: 'p99 < 150 ms',
        pass: below(main.latencyMs.p99, 150),
      },
    );
  }
  if (P2) {
    const c = P2.ceiling;
    targets.push(
      {
        id: 'P2',
        what: `issued → PDF stored at ${P2.rate}/s`,
        measured: `p50 ${ms(P2.issuedToPdfMs.p50)}, p99 ${ms(P2.issuedToPdfMs.p99)}`,
        ceiling: `bare pdfkit: ${c.rendersPerSecond} renders/s per core (p50 ${ms(c.renderMs.p50)})`,
        target: 'p99 < 500 ms',
        pass: below(P2.issuedToPdfMs.p99, 500),
      },
      {
        id: 'P2',
        what: `send → accepted by SMTP at ${P2.rate}/s`,
        measured: `p50 ${ms(P2.sendToSmtpMs.p50)}, p99 ${ms(P2.sendToSmtpMs.p99)}`,
        ceiling: `bare nodemailer → sink: ${c.mailsPerSecond} mails/s`,
        target: 'p99 < 1 s',
        pass: below(P2.sendToSmtpMs.p99, 1000),
      },
      {
        id: 'P2',
        what: 'backlog growth over the run (invoices arrived and not done)',
        measured: `${P2.backlogGrowth} (max in flight ${Math.max(0, ...P2.backlog.map((s) => s.inFlight))})`,
        ceiling: '',
        target: `< ${P2.backlogGrowthLimit} (1 s of arrivals)`,
        pass: below(P2.backlogGrowth, P2.backlogGrowthLimit),
      },
      {
        id: 'P2',
        what: 'lost after the drain (no PDF in S3 / no email), failed requests',
        measured:
          `${P2.lost.total} lost (${P2.lost.pdf} PDF, ${P2.lost.email} email), ${P2.errors} failed requests` +
          (P2.lost.total > 0
            ? `; still pending when the drain ended: ${P2.lost.pendingDocuments ?? 'n/a'} documents, ${P2.lost.pendingEmails ?? 'n/a'} emails`
            : ''),
        ceiling: '',
        target: '0',
        pass: P2.lost.total === 0 && P2.errors === 0,
      },
    );
    const worst = P2.budgets.processes.reduce(
      (a, b) => (b.peakRssMb > a.peakRssMb ? b : a),
      P2.budgets.processes[0] ?? { name: 'none', peakRssMb: 0 },
    );
    targets.push({
      id: 'P2',
      what: 'peak RSS of every service process',
      measured: `largest ${worst.peakRssMb} MB (${worst.name})`,
      ceiling: '',
      target: `< ${results.rssLimitMb} MB`,
      pass: P2.budgets.processes.every((row) => below(row.peakRssMb, results.rssLimitMb)),
    });
  }
  if (P4) {
    const rows = P4.cases.flatMap((c) => [
      { name: `${c.name}, first page`, api: c.first.apiMs, sql: c.first.ceilingMs },
      { name: `${c.name}, deep page`, api: c.deep.apiMs, sql: c.deep.ceilingMs },
    ]);
    const worst = rows.reduce((a, b) => (b.api.p99 > a.api.p99 ? b : a));
    const failing = rows.filter((row) => !below(row.api.p99, 30)).length;
    targets.push({
      id: 'P4',
      what: `invoice list, ${P4.invoices.toLocaleString('en')} invoices: every filter and combination`,
      measured: `worst p99 ${ms(worst.api.p99)} (${worst.name}); ${failing} of ${rows.length} over 30 ms`,
      ceiling: `same SQL through plain pg: p99 ${ms(worst.sql.p99)}`,
      target: 'p99 < 30 ms each',
      pass: failing === 0,
    });
  }
  return targets;
}

function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) =>
    `| ${cells.map((cell) => String(cell).replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function budgetsTable(p1: Budgets | undefined, p2: Budgets | undefined, limit: number): string {
  const names = [...new Set([...(p1?.processes ?? []), ...(p2?.processes ?? [])].map((row) => row.name))];
  const find = (budgets: Budgets | undefined, name: string) =>
    budgets?.processes.find((row) => row.name === name);
  const rows = names.map((name) => {
    const a = find(p1, name);
    const b = find(p2, name);
    const over = (a?.overRssLimit ?? false) || (b?.overRssLimit ?? false);
    return [
      name,
      a ? a.cpuMsPerInvoice : '',
      a ? a.peakRssMb : '',
      b ? b.cpuMsPerInvoice : '',
      b ? b.peakRssMb : '',
      over ? `**over ${limit} MB**` : 'ok',
    ];
  });
  const extra = (label: string, pick: (budgets: Budgets) => number | string) => [
    label,
    p1 ? pick(p1) : '',
    '',
    p2 ? pick(p2) : '',
    '',
    '',
  ];
  rows.push(
    extra('all service processes', (b) => b.servicesCpuMsPerInvoice),
    extra('bench process (load, SMTP sink)', (b) => b.benchCpuMsPerInvoice),
    extra('rest of the machine (Postgres, NATS, Redis, s3rver, others)', (b) => b.otherCpuMsPerInvoice),
    extra(
      'machine CPU: user / system / idle %',
      (b) => `${b.machine.userPct} / ${b.machine.systemPct} / ${b.machine.idlePct}`,
    ),
  );
  return table(
    ['process', 'P1 CPU ms/invoice', 'P1 peak RSS MB', 'P2 CPU ms/invoice', 'P2 peak RSS MB', 'RSS'],
    rows,
  );
}

/** The results section of bench/README.md. */
export function resultsSection(results: BenchResults, file: string): string {
  const m = results.machine;
  const { P1, P2, P4 } = results.scenarios;
  const parts: string[] = [];
  parts.push(
    `Run of ${results.date} (\`${file}\`), commit \`${results.git.commit}\`` +
      `${results.git.changedFiles ? ` with ${results.git.changedFiles} uncommitted changed files` : ''}` +
      `${results.partial ? ', **partial run**' : ''}; ${results.system}.`,
    '',
    `Machine: ${m.cpuModel}${m.cpuMhz ? ` (${m.cpuMhz} MHz)` : ''}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}; ` +
      `Node ${m.node}, PostgreSQL ${m.postgres}, NATS ${m.nats}, Redis ${m.redis}. Load average before ` +
      `${m.loadAverage.join(' / ')}, after ${results.machineAfter.loadAverage.join(' / ')} (1/5/15 min).`,
    '',
    '### Targets',
    '',
    ...Object.entries(results.errors ?? {}).map(
      ([name, error]) => `**${name} did not complete**: ${error.replaceAll('|', '\\|')}\n`,
    ),
    table(
      ['', 'what', 'measured', 'ceiling (same run)', 'target', 'pass'],
      results.targets.map((t) => [
        t.id,
        t.what,
        t.measured,
        t.ceiling,
        t.target,
        t.pass ? '✅ pass' : '❌ fail',
      ]),
    ),
  );
  if (P1) {
    parts.push(
      '',
      `### P1 create + issue (render and email workers ${P1.workersStopped ? 'stopped' : 'running: --url'})`,
      '',
      table(
        ['in flight', 'seconds', 'invoices/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors'],
        [
          ...P1.sweep.map((run) => [
            run.concurrency,
            run.seconds,
            run.invoicesPerSecond,
            figure(run.latencyMs.p50),
            figure(run.latencyMs.p95),
            figure(run.latencyMs.p99),
            run.errors,
          ]),
          [
            `plain pg ceiling, ${P1.ceiling.concurrency}`,
            P1.ceiling.seconds,
            P1.ceiling.invoicesPerSecond,
            figure(P1.ceiling.latencyMs.p50),
            figure(P1.ceiling.latencyMs.p95),
            figure(P1.ceiling.latencyMs.p99),
            P1.ceiling.errors,
          ],
        ],
      ),
      '',
      `Best of the sweep: ${P1.best.invoicesPerSecond} invoices/s at ${P1.best.concurrency} in flight.`,
    );
  }
  if (P2) {
    const max = (pick: (s: P2Result['backlog'][number]) => number | null) =>
      Math.max(0, ...P2.backlog.map((s) => pick(s) ?? 0));
    const last = P2.backlog.filter((s) => s.t <= P2.seconds + 5).at(-1);
    parts.push(
      '',
      `### P2 steady create + issue + send, ${P2.rate}/s open loop for ${P2.seconds} s`,
      '',
      table(
        ['latency', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'samples'],
        [
          ['issued → PDF stored (document.rendered.v1)', ...row(P2.issuedToPdfMs)],
          ['send → accepted by SMTP', ...row(P2.sendToSmtpMs)],
          ['POST /v1/invoices (create)', ...row(P2.apiMs.create)],
          ['POST …/issue', ...row(P2.apiMs.issue)],
          ['POST …/send', ...row(P2.apiMs.send)],
        ],
      ),
      '',
      `Arrivals ${P2.arrivals} (measured ${P2.achievedRate}/s; the generator was at most ${P2.maxLatenessMs} ms late), ` +
        `drained in ${P2.drainSeconds} s, ${P2.errors} failed requests, ${P2.lost.total} lost. ` +
        `Backlog (maximum over the run; at the end of the arrivals): work in flight ${max((s) => s.inFlight)} (${last?.inFlight ?? 'n/a'}), ` +
        `render queue waiting ${max((s) => s.renderWaiting)} (${last?.renderWaiting ?? 'n/a'}), ` +
        `email queue waiting ${max((s) => s.emailWaiting)} (${last?.emailWaiting ?? 'n/a'}), ` +
        `pending documents ${max((s) => s.documentsPending)}, pending emails ${max((s) => s.emailsPending)}, ` +
        `unpublished outbox rows ${max((s) => s.outboxPending)}, NATS consumer pending ${max((s) => s.natsPending)}. ` +
        `Every second is in the results file.`,
    );
  }
  if (P4) {
    parts.push(
      '',
      `### P4 invoice list, ${P4.invoices.toLocaleString('en')} invoices in one organization ` +
        `(seeded in ${P4.seedSeconds} s, ${P4.tableSize} with indexes; up to ${P4.requestsPerCase} sequential requests per page; ` +
        `ceiling: ${P4.ceilingSql === 'service' ? "the service's own SQL" : P4.ceilingSql} through plain pg)`,
      '',
      table(
        [
          'filter',
          'matches',
          'requests',
          'first page p50 / p99 ms',
          'SQL via pg p50 / p99',
          'deep page p50 / p99 ms',
          'SQL via pg p50 / p99',
          '< 30 ms',
        ],
        P4.cases.map((c) => [
          c.name,
          c.matches,
          `${c.first.apiMs.count} / ${c.deep.apiMs.count}`,
          pair(c.first.apiMs),
          pair(c.first.ceilingMs),
          pair(c.deep.apiMs),
          pair(c.deep.ceilingMs),
          below(c.first.apiMs.p99, 30) && below(c.deep.apiMs.p99, 30) ? '✅' : '❌',
        ]),
      ),
    );
  }
  if (P4) {
    const differ = P4.cases.filter((c) => !c.sameItems).map((c) => c.name);
    parts.push(
      '',
      differ.length === 0
        ? 'The API and the SQL returned the same number of items for every page.'
        : `**The API and the SQL returned different numbers of items** for: ${differ.join(', ')}.`,
    );
  }
  if (P1 || P2) {
    parts.push(
      '',
      '### Budgets per process',
      '',
      `CPU is utime + stime over the scenario (P1: the ${P1?.main.concurrency ?? 16}-in-flight run; P2: arrivals and drain) ` +
        `divided by the invoices issued; peak RSS is VmHWM.`,
      '',
      budgetsTable(P1?.budgets, P2?.budgets, results.rssLimitMb),
    );
  }
  return parts.join('\n');
}

function row(summary: LatencySummary) {
  return [figure(summary.p50), figure(summary.p95), figure(summary.p99), figure(summary.max), summary.count];
}

function pair(summary: LatencySummary): string {
  return `${figure(summary.p50)} / ${figure(summary.p99)}`;
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** bench/README.md with its results section replaced (appended when the markers are missing). */
export function renderReadme(readme: string, results: BenchResults, file: string): string {
  const section = `${START}\n${resultsSection(results, file)}\n${END}`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) return `${readme.trimEnd()}\n\n## Results\n\n${section}\n`;
  return `${readme.slice(0, start)}${section}${readme.slice(end + END.length)}`;
}
