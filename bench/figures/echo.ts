/**
 * Figure: keystroke echo latency. One session per target, one real `ssh` viewer on a pty the
 * bench owns, the pane's shell prompt; see lib/echo.ts for one sample. Every target runs at once
 * and they type in turns (lib/lanes.ts, lib/echo-lanes.ts), so that each ratio to the baseline
 * compares the same minutes of a noisy machine; a profiled re-run measures one target alone.
 * Targets: p50 ≤ 1.1 × sshd+tmux (same run), p99 ≤ 3 ms.
 *
 * The samples follow `echoWarmup` keystrokes typed the same way: a freshly started relay runs its
 * per-keystroke code in V8's unoptimized tiers, and compiles it on background threads that take a
 * CPU from tmate, ssh and bash, for its first ~2500 keystrokes (docs/benchmarks.md: p50 1.8 → 1.2 ms
 * and p99 7 → 2 ms over 4000 keystrokes, while sshd+tmux stayed flat). A relay in service has
 * typed for many sessions before; the cold figure (the first 1000 warm-up keystrokes) is reported
 * in a note, not hidden.
 */
import type { Figure } from '../lib/figure.js';
import { nowUs } from '../lib/figure.js';
import { recordSamples } from '../lib/echo.js';
import { echoSetup, sample, TURN_KEYSTROKES, TURN_OPENING_KEYSTROKES, warmUp, type EchoLane } from '../lib/echo-lanes.js';
import { inLanes, inOneLane } from '../lib/lanes.js';
import type { Check, Row } from '../lib/report.js';
import { fmt, fmtAgainst, ratio, summarize, type Summary } from '../lib/stats.js';

export const SIZE = { cols: 100, rows: 30 };

/** Warm-up keystrokes summarized as the cold figure. */
const COLD_SAMPLES = 1000;

interface EchoMeasurement {
  summary: Summary;
  /** The first COLD_SAMPLES warm-up keystrokes after the server started. */
  cold: Summary;
  lost: number;
  serverCpuPercent: number;
}

/** One lane's figures; its samples also go to BENCH_SAMPLES_FILE. */
function measurement(lane: EchoLane): EchoMeasurement {
  const { warmup, samples, lost, cpuSeconds, wallSeconds } = lane.state;
  recordSamples('echo', lane.target.id, samples);
  recordSamples('echo-warmup', lane.target.id, warmup);
  return {
    summary: summarize(samples),
    cold: summarize(warmup.slice(0, COLD_SAMPLES)),
    lost,
    serverCpuPercent: wallSeconds > 0 ? (100 * cpuSeconds) / wallSeconds : 0,
  };
}

export const echoFigure: Figure<EchoMeasurement> = {
  id: 'echo',
  title: 'Echo latency (keystroke → echo on the viewer’s screen)',
  method: (ctx) =>
    `Every target runs at once, each with one session and one viewer (\`ssh -tt\` on a pty owned by the bench, ${SIZE.cols}×${SIZE.rows}) that types one character at a time at the pane's bash prompt, ` +
    `the targets taking turns of ${TURN_KEYSTROKES} keystrokes (the order rotating each round; each measured turn opens with ${TURN_OPENING_KEYSTROKES} untimed keystrokes), so that every target gets the same minutes of a noisy machine; ` +
    `a sample is the time from writing the character to the arrival of the output chunk that contains its echo ` +
    `(${ctx.options.echoSamples} samples after ${ctx.options.echoWarmup} warm-up ones typed the same way, so that a relay's per-keystroke code is compiled as in a relay that has served for a while; BSpace after each, untimed). ` +
    `The notes give the cold figure: the first ${COLD_SAMPLES} warm-up keystrokes after the server started.`,
  async measure(target, ctx, cpuProfDir) {
    const { lane, profile, window } = await inOneLane(target, ctx, echoSetup(SIZE), cpuProfDir, async (lane) => {
      await warmUp([lane], ctx.options.echoWarmup);
      const start = nowUs();
      await sample([lane], ctx.options.echoSamples);
      return [start, nowUs()];
    });
    return { ...measurement(lane), profile, window };
  },
  measureTogether(targets, ctx) {
    return inLanes(
      targets,
      ctx,
      echoSetup(SIZE),
      async (lanes) => {
        await warmUp(lanes, ctx.options.echoWarmup);
        await sample(lanes, ctx.options.echoSamples);
      },
      measurement,
    );
  },
  build(results) {
    const base = results.find((r) => r.target.baseline)?.value;
    const rows: Row[] = results.map(({ target, value }) => ({
      target: target.id,
      label: target.label,
      baseline: target.baseline,
      values: { p50: value.summary.p50, p95: value.summary.p95, p99: value.summary.p99, max: value.summary.max, n: value.summary.n, cpu: value.serverCpuPercent },
      note: value.lost > 0 ? `${value.lost} samples lost (no echo within 2 s)` : undefined,
    }));
    const checks: Check[] = [];
    for (const { target, value } of results) {
      if (target.baseline) continue;
      const r = ratio(value.summary.p50, base?.summary.p50);
      checks.push({
        figure: 'echo',
        target: target.id,
        goal: 'p50 ≤ 1.1 × sshd+tmux p50',
        measured: `${fmt(value.summary.p50)} ms vs ${fmt(base?.summary.p50 ?? null)} ms (${fmt(r)}×)`,
        pass: r === null ? null : r <= 1.1,
      });
      checks.push({
        figure: 'echo',
        target: target.id,
        goal: 'p99 ≤ 3 ms',
        measured: `${fmtAgainst(value.summary.p99, 3)} ms`,
        pass: value.summary.p99 === null ? null : value.summary.p99 <= 3,
      });
    }
    const notes = results.map(
      ({ target, value }) =>
        `${target.label}, cold (the first ${value.cold.n} keystrokes after the server started, part of the warm-up): ` +
        `p50 ${fmt(value.cold.p50)} ms, p95 ${fmt(value.cold.p95)} ms, p99 ${fmt(value.cold.p99)} ms.`,
    );
    return {
      columns: [
        { key: 'p50', label: 'p50 (ms)', ratio: true },
        { key: 'p95', label: 'p95 (ms)' },
        { key: 'p99', label: 'p99 (ms)', ratio: true },
        { key: 'max', label: 'max (ms)' },
        { key: 'n', label: 'samples', digits: 0 },
        { key: 'cpu', label: 'server CPU (% of a core)', digits: 1 },
      ],
      rows,
      checks,
      notes: results.some(({ value }) => value.cold.n > 0) ? notes : [],
    };
  },
};
