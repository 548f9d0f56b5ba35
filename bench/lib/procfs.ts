/**
 * Process and machine figures from /proc (Linux): CPU time (utime + stime) and peak RSS (VmHWM) of
 * a process and its descendants, the machine's CPU split, the processes listening on given ports,
 * and what the machine is.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Fields of /proc/<pid>/stat after the command name (field 3 is index 0). */
function statFields(pid: number): string[] | undefined {
  const text = read(`/proc/${pid}/stat`);
  if (!text) return undefined;
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** CPU time of one process in milliseconds (user + system), or undefined when it is gone. */
export function processCpuMs(pid: number): number | undefined {
  const fields = statFields(pid);
  if (!fields) return undefined;
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Peak resident set (VmHWM) and current RSS (VmRSS) of a process, in MB. */
export function processMemoryMb(pid: number): { peakMb: number; rssMb: number } | undefined {
  const text = read(`/proc/${pid}/status`);
  if (!text) return undefined;
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
}

/** The process and every descendant (a launcher's children count as the service). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = Number(statFields(pid)?.[1]);
    if (!Number.isInteger(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    if (!read(`/proc/${pid}/stat`)) continue;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** CPU and memory of a process tree at one moment. */
export interface ProcessSample {
  cpuMs: number;
  /** Largest VmHWM of any process in the tree. */
  peakMb: number;
  rssMb: number;
  pids: number[];
}

/** Samples a process tree. */
export function sampleProcess(root: number): ProcessSample {
  const pids = processTree(root);
  let cpuMs = 0;
  let peakMb = 0;
  let rssMb = 0;
  for (const pid of pids) {
    cpuMs += processCpuMs(pid) ?? 0;
    const memory = processMemoryMb(pid);
    if (memory) {
      peakMb = Math.max(peakMb, memory.peakMb);
      rssMb += memory.rssMb;
    }
  }
  return { cpuMs, peakMb, rssMb, pids };
}

/** The machine's cumulative CPU time by kind, in milliseconds (first line of /proc/stat). */
export interface MachineCpu {
  user: number;
  system: number;
  idle: number;
  iowait: number;
  other: number;
}

export function machineCpu(): MachineCpu {
  const line = (read('/proc/stat') ?? '').split('\n')[0] ?? '';
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((value) => (Number(value) * 1000) / CLOCK_TICKS);
  return {
    user: (user ?? 0) + (nice ?? 0),
    system: (system ?? 0) + (irq ?? 0) + (softirq ?? 0),
    idle: idle ?? 0,
    iowait: iowait ?? 0,
    other: steal ?? 0,
  };
}

/** Shares (percent of all cores' time) of user, system, iowait and idle between two samples. */
export function cpuSplit(before: MachineCpu, after: MachineCpu) {
  const delta = {
    user: after.user - before.user,
    system: after.system - before.system,
    idle: after.idle - before.idle,
    iowait: after.iowait - before.iowait,
    other: after.other - before.other,
  };
  const total = delta.user + delta.system + delta.idle + delta.iowait + delta.other || 1;
  const pct = (value: number) => Math.round((value / total) * 1000) / 10;
  return {
    userPct: pct(delta.user),
    systemPct: pct(delta.system),
    iowaitPct: pct(delta.iowait),
    idlePct: pct(delta.idle),
    busyMs: delta.user + delta.system + delta.other,
  };
}

/** The pid listening on each TCP port (from /proc/net/tcp{,6} and the processes' sockets). */
export function pidsListeningOn(ports: readonly number[]): Map<number, number> {
  const inodes = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (read(file) ?? '').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue; // LISTEN
      const port = parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (ports.includes(port) && fields[9]) inodes.set(fields[9], port);
    }
  }
  const found = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const port = inode ? inodes.get(inode) : undefined;
      if (port !== undefined && !found.has(port)) found.set(port, pid);
    }
  }
  return found;
}

/** What the figures were measured on. */
export function machineInfo() {
  const cpuinfo = read('/proc/cpuinfo') ?? '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim();
  return {
    cpuModel: model,
    cpuMhz: mhz ? Math.round(Number(mhz)) : undefined,
    cores: os.availableParallelism(),
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
