/**
 * Reads and summarizes what bench/probes/loop-stalls.cjs recorded in a relay: every time its event
 * loop was held for more than 8 ms, put down to one cause, and its garbage collections. An echo
 * sample is late by about as much as the stall it meets, so this is what a figure's p99 is made of.
 *
 * A stall's cause: garbage collection if collections fill at least half of it, else waiting for a
 * CPU if the main thread sat in the run queue for at least half of it (another process or thread
 * had the CPU), else the relay's own work.
 * A stall during incremental marking counts as own work: V8 reports marking steps only inside the
 * mark-compact that ends them. Hostile or cut-short lines (the relay killed mid-write) are skipped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** [at (µs, CLOCK_MONOTONIC), late (ms), on a CPU meanwhile (ms), in the run queue (ms)]. */
type Stall = [atUs: number, lateMs: number, onCpuMs: number, queuedMs: number];
/** [start (µs, CLOCK_MONOTONIC), duration (ms), kind (perf_hooks' NODE_PERFORMANCE_GC_*)]. */
type Gc = [atUs: number, ms: number, kind: number];

export interface StallProbe {
  startUs: number | null;
  stalls: Stall[];
  gcs: Gc[];
}

export interface StallSummary {
  stalls: number;
  /** Stalls longer than each threshold, by cause. */
  over: { limitMs: number; count: number; causes: { cause: string; count: number }[] }[];
  longest: { lateMs: number; onCpuMs: number; queuedMs: number; cause: string }[];
  gcs: { kind: string; count: number; medianMs: number; maxMs: number }[];
}

const TICK_MS = 5;
const THRESHOLDS_MS = [10, 15, 20, 40];
const GC_KINDS: Readonly<Record<number, string>> = { 1: 'scavenge', 4: 'mark-compact', 8: 'incremental marking', 16: 'weak callbacks' };

/** Where the probe of the relay that wrote `cpuProfile` (CPU.<date>.<time>.<pid>.…) put its record. */
export function stallsFileFor(cpuProfile: string): string | null {
  const pid = /^CPU\.\d+\.\d+\.(\d+)\./.exec(basename(cpuProfile))?.[1];
  if (pid === undefined) return null;
  const file = join(dirname(cpuProfile), `STALLS.${pid}.jsonl`);
  return existsSync(file) ? file : null;
}

export function readStallProbe(file: string): StallProbe {
  const probe: StallProbe = { startUs: null, stalls: [], gcs: [] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof record !== 'object' || record === null) continue;
    const { start, stalls, gcs } = record as { start?: unknown; stalls?: unknown; gcs?: unknown };
    if (typeof start === 'number' && probe.startUs === null) probe.startUs = start;
    probe.stalls.push(...tuples<Stall>(stalls, 4));
    probe.gcs.push(...tuples<Gc>(gcs, 3));
  }
  return probe;
}

function tuples<T extends number[]>(value: unknown, length: number): T[] {
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is T => Array.isArray(item) && item.length === length && item.every((n) => typeof n === 'number'));
}

/** The stalls and collections that began inside `windowUs` (all of them without one). */
export function summarizeStalls(probe: StallProbe, windowUs?: readonly [number, number]): StallSummary {
  const inside = ([atUs]: [number, ...number[]]): boolean => windowUs === undefined || (atUs >= windowUs[0] && atUs <= windowUs[1]);
  const stalls = probe.stalls.filter(inside);
  const causeOf = (stall: Stall): string => stallCause(stall, probe.gcs);
  return {
    stalls: stalls.length,
    over: THRESHOLDS_MS.map((limitMs) => {
      const over = stalls.filter(([, lateMs]) => lateMs > limitMs);
      const causes = new Map<string, number>();
      for (const stall of over) {
        const cause = causeOf(stall);
        causes.set(cause, (causes.get(cause) ?? 0) + 1);
      }
      return { limitMs, count: over.length, causes: [...causes].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count) };
    }),
    longest: [...stalls]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map((stall) => ({ lateMs: stall[1], onCpuMs: stall[2], queuedMs: stall[3], cause: causeOf(stall) })),
    gcs: Object.entries(GC_KINDS).flatMap(([kind, name]) => {
      const pauses = probe.gcs.filter((gc) => gc[2] === Number(kind) && inside(gc)).map(([, ms]) => ms).sort((a, b) => a - b);
      if (pauses.length === 0) return [];
      return [{ kind: name, count: pauses.length, medianMs: pauses[Math.floor(pauses.length / 2)]!, maxMs: pauses.at(-1)! }];
    }),
  };
}

function stallCause([atUs, lateMs, , queuedMs]: Stall, gcs: readonly Gc[]): string {
  const endUs = atUs + (TICK_MS + lateMs) * 1000;
  let gcMs = 0;
  let longest: Gc | null = null;
  for (const gc of gcs) {
    const overlapUs = Math.min(endUs, gc[0] + gc[1] * 1000) - Math.max(atUs, gc[0]);
    if (overlapUs <= 0) continue;
    gcMs += overlapUs / 1000;
    if (longest === null || gc[1] > longest[1]) longest = gc;
  }
  if (longest !== null && gcMs * 2 >= lateMs) return `GC (${GC_KINDS[longest[2]] ?? `kind ${longest[2]}`})`;
  if (queuedMs * 2 >= lateMs) return 'waiting for a CPU';
  return "the relay's own work";
}

/** Lines of the report: one sentence per threshold, the longest stalls, the collections. */
export function stallsMarkdown(summary: StallSummary, heading: string): string[] {
  const counts = summary.over
    .map(({ limitMs, count, causes }) => `${count} over ${limitMs} ms${causes.length > 0 ? ` (${causes.map((c) => `${c.cause} ${c.count}`).join(', ')})` : ''}`)
    .join('; ');
  const longest = summary.longest
    .map((s) => `${s.lateMs} ms (on a CPU ${s.onCpuMs} ms, in the run queue ${s.queuedMs} ms: ${s.cause})`)
    .join('; ');
  const gcs = summary.gcs.map((g) => `${g.count} × ${g.kind} (median ${g.medianMs} ms, longest ${g.maxMs} ms)`).join(', ');
  return [
    `${heading}: ${summary.stalls} stalls of more than 8 ms; ${counts}.${longest ? ` Longest: ${longest}.` : ''}${gcs ? ` Collections: ${gcs}.` : ''}`,
    '',
  ];
}
