/**
 * Budgets per process over a scenario: CPU milliseconds per invoice (utime + stime deltas of each
 * service process and its descendants, divided by the invoices of the scenario) and peak RSS
 * (VmHWM), with the bench process itself and the machine's CPU split for context.
 */
import { cpuSplit, machineCpu, sampleProcess, type MachineCpu } from './procfs.ts';
import type { ServiceProcess } from './system.ts';

/** The RSS above which a process is flagged. */
export const RSS_LIMIT_MB = 300;

/** One process's budget over a scenario. */
export interface ProcessBudget {
  name: string;
  cpuMs: number;
  cpuMsPerInvoice: number;
  peakRssMb: number;
  overRssLimit: boolean;
}

/** Budgets of a scenario. */
export interface Budgets {
  invoices: number;
  seconds: number;
  processes: ProcessBudget[];
  /** Sum over the service processes. */
  servicesCpuMsPerInvoice: number;
  /** The bench process (load generator, SMTP sink, samplers). */
  benchCpuMsPerInvoice: number;
  machine: ReturnType<typeof cpuSplit>;
  /** Machine CPU not spent by the services or the bench (Postgres, NATS, Redis, S3, other users). */
  otherCpuMsPerInvoice: number;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Starts measuring; `finish` returns the budgets over the interval. */
export function startBudget(processes: () => ServiceProcess[]) {
  const startedAt = performance.now();
  const before = new Map(processes().map((p) => [p.pid, sampleProcess(p.pid).cpuMs]));
  const benchBefore = process.cpuUsage();
  const machineBefore: MachineCpu = machineCpu();
  return {
    finish(invoices: number): Budgets {
      const per = (ms: number) => (invoices > 0 ? round(ms / invoices, 2) : Number.NaN);
      const rows = processes().map(({ name, pid }) => {
        const sample = sampleProcess(pid);
        const cpuMs = sample.cpuMs - (before.get(pid) ?? 0);
        return {
          name,
          cpuMs: Math.round(cpuMs),
          cpuMsPerInvoice: per(cpuMs),
          peakRssMb: round(sample.peakMb),
          overRssLimit: sample.peakMb > RSS_LIMIT_MB,
        };
      });
      const bench = process.cpuUsage(benchBefore);
      const benchMs = (bench.user + bench.system) / 1000;
      const machine = cpuSplit(machineBefore, machineCpu());
      const servicesMs = rows.reduce((sum, row) => sum + row.cpuMs, 0);
      return {
        invoices,
        seconds: round((performance.now() - startedAt) / 1000),
        processes: rows,
        servicesCpuMsPerInvoice: per(servicesMs),
        benchCpuMsPerInvoice: per(benchMs),
        machine,
        otherCpuMsPerInvoice: per(Math.max(0, machine.busyMs - servicesMs - benchMs)),
      };
    },
  };
}

/** The budgets with each process's peak RSS read again now (VmHWM only grows). */
export function withPeaks(budgets: Budgets, processes: ServiceProcess[]): Budgets {
  const peaks = new Map(processes.map((p) => [p.name, sampleProcess(p.pid).peakMb]));
  return {
    ...budgets,
    processes: budgets.processes.map((row) => {
      const peak = Math.max(row.peakRssMb, round(peaks.get(row.name) ?? 0));
      return { ...row, peakRssMb: peak, overRssLimit: peak > RSS_LIMIT_MB };
    }),
  };
}
