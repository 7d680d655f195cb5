/**
 * Reads what the kernel knows about processes and the machine: CPU time (utime+stime from
 * /proc/PID/stat), memory (RSS/PSS from /proc/PID/smaps_rollup), process trees (ppid scan of
 * /proc), and the machine description printed in docs/benchmarks.md.
 *
 * Invariant: every reader tolerates a process that vanished meanwhile (it counts as 0 / absent);
 * nothing here throws for a dead pid.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux (getconf CLK_TCK), the unit of /proc/PID/stat

export interface ProcStat {
  pid: number;
  ppid: number;
  state: string;
  /** utime + stime, in seconds. */
  cpuSeconds: number;
}

export function readStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Field 2 (comm) may contain spaces and parentheses; everything after the last ')' is fixed.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(rest[11]) + Number(rest[12]); // fields 14 utime, 15 stime
  return { pid, ppid: Number(rest[1]), state: rest[0] ?? '?', cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
}

/** Sum of utime+stime (seconds) over the given pids; dead ones count 0. */
export function cpuSeconds(pids: readonly number[]): number {
  let total = 0;
  for (const pid of pids) total += readStat(pid)?.cpuSeconds ?? 0;
  return total;
}

export interface Memory {
  /** Resident set size, bytes. */
  rss: number;
  /** Proportional set size (shared pages divided among their users), bytes. */
  pss: number;
}

export function readMemory(pid: number): Memory | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (name: string): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rss: field('Rss'), pss: field('Pss') };
}

/** Sum of RSS and PSS over the given pids (dead ones count 0). */
export function sumMemory(pids: readonly number[]): Memory {
  const total = { rss: 0, pss: 0 };
  for (const pid of pids) {
    const m = readMemory(pid);
    if (m) {
      total.rss += m.rss;
      total.pss += m.pss;
    }
  }
  return total;
}

/** Every live process as pid → ppid (one scan of /proc). */
function processTable(): Map<number, ProcStat> {
  const table = new Map<number, ProcStat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st && st.state !== 'Z') table.set(st.pid, st);
  }
  return table;
}

/**
 * All descendants of `root` (not `root` itself). `exclude(pid)` prunes a process and its subtree,
 * e.g. the shells in tmux panes when only the server side should count.
 */
export function descendants(root: number, exclude: (pid: number) => boolean = () => false): number[] {
  const children = new Map<number, number[]>();
  for (const st of processTable().values()) {
    const list = children.get(st.ppid);
    if (list) list.push(st.pid);
    else children.set(st.ppid, [st.pid]);
  }
  const out: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop()!;
    if (exclude(pid)) continue;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

export function isAlive(pid: number): boolean {
  const st = readStat(pid);
  return st !== undefined && st.state !== 'Z' && st.state !== 'X';
}

export function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  kernel: string;
  node: string;
}

export function machineInfo(): MachineInfo {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    // keep os.cpus()'s answer
  }
  return {
    nproc: cpus().length,
    cpuModel: model,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
  };
}

/** CPU use of `pids` between two samples, as a percentage of one core. */
export class CpuMeter {
  private readonly startCpu: number;
  private readonly startWall: bigint;

  constructor(private readonly pids: () => readonly number[]) {
    this.startCpu = cpuSeconds(pids());
    this.startWall = process.hrtime.bigint();
  }

  /** { cpuSeconds used since construction, percent of one core }. */
  read(): { cpuSeconds: number; percent: number; wallSeconds: number } {
    const used = cpuSeconds(this.pids()) - this.startCpu;
    const wall = Number(process.hrtime.bigint() - this.startWall) / 1e9;
    return { cpuSeconds: used, percent: wall > 0 ? (100 * used) / wall : 0, wallSeconds: wall };
  }
}
