/**
 * Reads the relay under soak from the outside: memory (RSS, PSS from /proc/PID/smaps_rollup, via
 * bench/lib/proc.ts), open file descriptors (/proc/PID/fd), threads and CPU time (/proc), and its
 * Prometheus endpoint `GET /metrics` (names from src/server/observability/metrics.ts): sessions and
 * viewers active, event-loop lag, and the counters the report shows.
 *
 * Invariants: a scrape resets the relay's event-loop lag histogram (the gauge covers "since the
 * previous scrape"), so the runner scrapes on its sampling cadence only; every reader tolerates a
 * vanished process (undefined / 0) and a failed scrape (rejects, the caller decides).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { readMemory, readStat } from '../bench/lib/proc.js';

/** Parsed exposition: metric name → list of (labels, value). */
export type MetricFamilies = Map<string, { labels: Record<string, string>; value: number }[]>;

export function parseMetrics(text: string): MetricFamilies {
  const out: MetricFamilies = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    const list = out.get(m[1]!) ?? [];
    list.push({ labels, value: Number(m[3]) });
    out.set(m[1]!, list);
  }
  return out;
}

/** Sum of a family's values (all label sets), 0 when absent. */
export function sumOf(families: MetricFamilies, name: string): number {
  return (families.get(name) ?? []).reduce((s, e) => s + e.value, 0);
}

/** A family as label-value → value, keyed by one label (e.g. reason), zero entries dropped. */
export function byLabel(families: MetricFamilies, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of families.get(name) ?? []) if (e.value !== 0) out[e.labels[label] ?? ''] = (out[e.labels[label] ?? ''] ?? 0) + e.value;
  return out;
}

export async function scrape(httpPort: number, timeoutMs = 5000): Promise<MetricFamilies> {
  const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET /metrics: HTTP ${response.status}`);
  return parseMetrics(await response.text());
}

export const METRIC = {
  sessions: 'tmate_relay_sessions_active',
  viewers: 'tmate_relay_viewers_active',
  loopLag: 'tmate_relay_event_loop_lag_seconds',
  ended: 'tmate_relay_sessions_ended_total',
  authFailures: 'tmate_relay_auth_failures_total',
  rateLimited: 'tmate_relay_rate_limited_total',
  limitRefusals: 'tmate_relay_limit_refusals_total',
  protocolErrors: 'tmate_relay_protocol_errors_total',
  bytesReceived: 'tmate_relay_bytes_received_total',
  bytesSent: 'tmate_relay_bytes_sent_total',
} as const;

export function openFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

export function threadCount(pid: number): number | undefined {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export type Phase = 'idle' | 'ramp' | 'load' | 'drained';

export interface Sample {
  /** Seconds since the load generator was told to start (negative: idle baseline). */
  t: number;
  phase: Phase;
  sessions: number;
  viewers: number;
  rss: number;
  pss: number;
  fds: number;
  threads: number;
  lagP50Ms: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Relay CPU since the previous sample, percent of one core. */
  cpuPercent: number;
  /** Load generator CPU since the previous sample, percent of one core. */
  loadgenCpuPercent: number;
}

/** Samples one relay (and the load generator's CPU) with CPU deltas between calls. */
export class RelayProbe {
  private lastCpu: { relay: number; loadgen: number; at: number } | null = null;

  constructor(
    private readonly relayPid: number,
    private readonly httpPort: number,
    private readonly loadgenPid: () => number | undefined,
  ) {}

  async sample(t: number, phase: Phase): Promise<{ sample: Sample; metrics: MetricFamilies }> {
    const metrics = await scrape(this.httpPort);
    const memory = readMemory(this.relayPid);
    const fds = openFds(this.relayPid);
    if (!memory || fds === undefined) throw new Error(`relay process ${this.relayPid} is gone`);
    const now = Date.now();
    const relayCpu = readStat(this.relayPid)?.cpuSeconds ?? 0;
    const lgPid = this.loadgenPid();
    const loadgenCpu = lgPid === undefined ? 0 : (readStat(lgPid)?.cpuSeconds ?? 0);
    const last = this.lastCpu;
    const wall = last ? (now - last.at) / 1000 : 0;
    const percent = (used: number): number => (wall > 0 ? Math.max(0, (100 * used) / wall) : 0);
    this.lastCpu = { relay: relayCpu, loadgen: loadgenCpu, at: now };
    const lag = byLabel(metrics, METRIC.loopLag, 'stat');
    return {
      metrics,
      sample: {
        t,
        phase,
        sessions: sumOf(metrics, METRIC.sessions),
        viewers: sumOf(metrics, METRIC.viewers),
        rss: memory.rss,
        pss: memory.pss,
        fds,
        threads: threadCount(this.relayPid) ?? 0,
        lagP50Ms: (lag['p50'] ?? 0) * 1000,
        lagP99Ms: (lag['p99'] ?? 0) * 1000,
        lagMaxMs: (lag['max'] ?? 0) * 1000,
        cpuPercent: last ? percent(relayCpu - last.relay) : 0,
        loadgenCpuPercent: last && lgPid !== undefined ? percent(loadgenCpu - last.loadgen) : 0,
      },
    };
  }
}

/** Memory right after a forced full GC in the relay (soak/relay-gc-entry.mjs), bytes. */
export interface GcReading {
  label: string;
  /** Seconds since load start. */
  t: number;
  gcMs: number;
  rss: number;
  pss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  fds: number;
}

interface GcLine {
  seq: number;
  gcMs: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

function gcLines(path: string): GcLine[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as GcLine); // written whole by relay-gc-entry.mjs (appendFileSync of one line)
}

/** Asks the relay for a full GC (SIGUSR2) and reads what it reports; rejects after `timeoutMs`. */
export async function forcedGc(pid: number, reportPath: string, label: string, t: number, timeoutMs = 60_000): Promise<GcReading> {
  const before = gcLines(reportPath).length;
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = gcLines(reportPath);
    const line = lines.length > before ? lines[lines.length - 1] : undefined;
    if (line) {
      const memory = readMemory(pid);
      return { label, t, ...line, pss: memory?.pss ?? 0, fds: openFds(pid) ?? 0 };
    }
    if (Date.now() > deadline) throw new Error(`the relay reported no GC within ${timeoutMs / 1000} s of SIGUSR2`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
