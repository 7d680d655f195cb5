/**
 * What a figure is, and the runner every figure shares: measure each target in turn (each with a
 * fresh server), build the table and the target checks, and, for a relay target that misses a
 * goal, measure it once more with `node --cpu-prof` and attach the profile summary. A target that
 * fails is reported in its row; only a figure that cannot produce any row counts as "could not run".
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { profileMarkdown, summarizeProfile } from './cpuprofile.js';
import { readStallProbe, stallsFileFor, stallsMarkdown, summarizeStalls } from './loop-stalls.js';
import type { Check, Column, FigureResult, Row } from './report.js';
import type { ClientKey } from './sys.js';
import { errorText, log } from './sys.js';
import type { RunningTarget, TargetSpec } from './targets.js';

export interface BenchOptions {
  mode: 'quick' | 'full' | 'smoke';
  echoSamples: number;
  /** Keystrokes typed (and timed, for the cold figure) before the echo figure's samples. */
  echoWarmup: number;
  joinSamples: number;
  setupSamples: number;
  throughputRuns: number;
  /** `seq 1 N` for the throughput figure. */
  throughputSeq: number;
  fanoutViewers: number[];
  fanoutSeq: number;
  memoryLevels: number[];
  baselineMemoryLevels: number[];
  /** Sessions added streaming log lines after the idle steps of the memory figure (0: none). */
  busyMemorySessions: number;
  /** How long they stream before memory is read (long enough to fill a 2000-line scrollback). */
  busyMemoryFillMs: number;
  scaleSessions: number;
  baselineScaleSessions: number;
  profileMisses: boolean;
}

export interface BenchContext {
  options: BenchOptions;
  key: ClientKey;
  artifacts: string;
  relayEntry: string;
}

export interface Built {
  columns: Column[];
  rows: Row[];
  checks: Check[];
  notes: string[];
}

export interface Figure<M> {
  id: string;
  title: string;
  method(ctx: BenchContext): string;
  /** Measures one target; cpuProfDir set means "profile the relay while doing it". */
  measure(target: TargetSpec, ctx: BenchContext, cpuProfDir?: string): Promise<M & Measured>;
  /**
   * Measures every target at once, taking turns, instead of one target after another (the runner
   * then uses measure() only for profiled re-runs): a figure compared with the baseline by a few
   * percent must not depend on which noisy minute of a shared machine each target got.
   */
  measureTogether?(targets: TargetSpec[], ctx: BenchContext): Promise<Outcome<M>[]>;
  build(results: { target: TargetSpec; value: M }[], ctx: BenchContext): Built;
  /** Restricts the targets (memory uses one relay target only). */
  select?(targets: TargetSpec[]): TargetSpec[];
  /** false: a CPU profile cannot explain a miss of this figure (memory). */
  profileable?: boolean;
}

/** One target's result of measureTogether(): its measurement, or why it has none. */
export type Outcome<M> = { target: TargetSpec; value: M } | { target: TargetSpec; error: string };

export interface Measured {
  /** The relay's CPU profile, when measured with cpuProfDir. */
  profile?: string | null;
  /** The measured phase, in µs of CLOCK_MONOTONIC (see nowUs), so the profile can be cut to it. */
  window?: [number, number];
}

/** Microseconds of CLOCK_MONOTONIC: the clock of process.hrtime and of V8 profile timestamps. */
export function nowUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Starts the target, runs `body`, always stops it; returns body's value and the profile path. */
export async function withTarget<T>(target: TargetSpec, cpuProfDir: string | undefined, body: (running: RunningTarget) => Promise<T>): Promise<T & { profile: string | null }> {
  const running = await target.start({ cpuProfDir });
  let value: T;
  try {
    value = await body(running);
  } catch (error) {
    await running.stop().catch(() => null);
    throw error;
  }
  const profile = await running.stop();
  return { ...value, profile };
}

export async function runFigure<M>(figure: Figure<M>, targets: TargetSpec[], ctx: BenchContext): Promise<FigureResult> {
  const chosen = figure.select ? figure.select(targets) : targets;
  const results: { target: TargetSpec; value: M }[] = [];
  const failures: string[] = [];
  const failed = (target: TargetSpec, message: string): void => {
    log(`${figure.id}: ${target.id} failed: ${message}`);
    failures.push(`${target.label}: failed: ${message.split('\n')[0]}`);
  };
  if (figure.measureTogether) {
    log(`${figure.id}: ${chosen.map((t) => t.id).join(', ')} together …`);
    for (const outcome of await figure.measureTogether(chosen, ctx)) {
      if ('value' in outcome) results.push(outcome);
      else failed(outcome.target, outcome.error);
    }
  } else {
    for (const target of chosen) {
      log(`${figure.id}: ${target.id} …`);
      try {
        results.push({ target, value: await figure.measure(target, ctx) });
      } catch (error) {
        failed(target, errorText(error));
      }
    }
  }
  const built = results.length > 0 ? figure.build(results, ctx) : { columns: [], rows: [], checks: [], notes: [] };
  const result: FigureResult = {
    id: figure.id,
    title: figure.title,
    method: figure.method(ctx),
    columns: built.columns,
    rows: built.rows,
    checks: built.checks,
    notes: [...failures, ...built.notes],
    extra: [],
  };
  if (results.length === 0) result.error = failures.join('; ') || 'no target could run';
  if (ctx.options.profileMisses && figure.profileable !== false) await profileMisses(figure, chosen, built.checks, ctx, result);
  return result;
}

async function profileMisses<M>(figure: Figure<M>, targets: TargetSpec[], checks: Check[], ctx: BenchContext, result: FigureResult): Promise<void> {
  const missed = new Set(checks.filter((c) => c.pass === false).map((c) => c.target));
  for (const target of targets) {
    if (target.baseline || !missed.has(target.id)) continue;
    const dir = join(ctx.artifacts, 'profiles');
    await mkdir(dir, { recursive: true });
    log(`${figure.id}: ${target.id} missed a target; measuring again under node --cpu-prof …`);
    try {
      const measured = await figure.measure(target, ctx, dir);
      if (!measured.profile) throw new Error('no profile was written');
      const summary = await summarizeProfile(measured.profile, measured.window);
      result.extra.push(...profileMarkdown(summary, `Profile of the relay during this figure (${target.id}, profiled re-run; \`${measured.profile.replace(/^.*\/bench\//, 'bench/')}\` on the machine that ran the bench, not committed)`));
      const stalls = stallsFileFor(measured.profile);
      if (stalls !== null) {
        const heading = `Event-loop stalls of the relay in the same re-run (bench/probes/loop-stalls.cjs${measured.window ? ', measured phase only' : ''})`;
        result.extra.push(...stallsMarkdown(summarizeStalls(readStallProbe(stalls), measured.window), heading));
      }
    } catch (error) {
      result.extra.push(`Profiled re-run of ${target.id} failed: ${errorText(error)}`, '');
    }
  }
}
