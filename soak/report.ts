/**
 * The soak's verdict and report: compares the relay's samples at the same load level early in the
 * run (after warm-up) and at the end, and before load (idle) with after it (drained); renders the
 * results as Markdown; rewrites only the generated block of the "Soak" section of
 * docs/reliability.md (between SOAK_BEGIN and SOAK_END), leaving every other section alone.
 *
 * Invariants: the verdict only uses medians over windows of samples (one sample can be caught
 * just before or after a GC); docs/reliability.md is re-read immediately before it is written and
 * only the marked block (or, when missing, a new "## Soak" section at the end) changes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MachineInfo } from '../bench/lib/proc.js';
import type { GcReading, Sample } from './probe.js';
import type { SoakParams, SoakStats } from './protocol.js';

export const SOAK_BEGIN = '<!-- soak:results:begin (written by npm run soak) -->';
export const SOAK_END = '<!-- soak:results:end -->';

/** The "flat" tolerances; docs/reliability.md explains the choice. */
export const TOLERANCES = {
  /** Open fds after the load has drained may exceed the idle baseline by at most this many. */
  fdSlack: 5,
  /**
   * Right after a full GC, RSS and the relay's JS memory (V8 heap used + external, where xterm's
   * cell buffers live) at the end of the load may exceed the same at the warm-up checkpoint (same
   * load level) by less than this, percent.
   */
  rssGrowthPercent: 10,
  jsGrowthPercent: 10,
  /** Right after a full GC, JS memory after the drain may exceed the idle baseline by at most this, bytes. */
  drainedJsSlack: 16 * 1024 * 1024,
  /** Samples (medians) in each comparison window. */
  window: 3,
} as const;

export interface Point {
  label: string;
  /** Time range of the window, seconds since load start. */
  from: number;
  to: number;
  sessions: number;
  viewers: number;
  rss: number;
  pss: number;
  fds: number;
  threads: number;
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface Analysis {
  idle: Point;
  warm: Point;
  end: Point;
  drained: Point | null;
  /** Growth of the sample medians (no forced GC), end window vs warm window, percent. */
  rssGrowthPercent: number;
  pssGrowthPercent: number;
  /** Growth after a full GC, end checkpoint vs warm checkpoint, percent (NaN without both). */
  gcRssGrowthPercent: number;
  gcJsGrowthPercent: number;
  /** Least-squares slope of RSS over the steady load (warm-up → end), MB per minute. */
  rssSlopeMBPerMinute: number;
  /** fds − (sessions + viewers): the relay's own descriptors, besides one socket per connection. */
  fdOverheadWarm: number;
  fdOverheadEnd: number;
  checks: Check[];
  flat: boolean;
}

export interface RunInfo {
  startedAt: string;
  machine: MachineInfo;
  loadBefore: string;
  loadAfter: string;
  params: SoakParams;
  durationMs: number;
  warmupMs: number;
  sampleIntervalMs: number;
  relayArgs: string[];
  rampMs: number;
  rampSessions: number;
  rampViewers: number;
  drainMs: number | null;
  /** Samples skipped because a scrape failed or timed out. */
  missedSamples: number;
  relayDied: string | null;
  loadgen: SoakStats | null;
  /** Relay counters at the end: metric → label value → count. */
  counters: Record<string, Record<string, number>>;
  /** Warnings and errors the relay logged (its stderr tail), by event. */
  relayLogEvents: Record<string, number>;
}

const MB = 1024 * 1024;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

function point(label: string, samples: Sample[]): Point {
  return {
    label,
    from: samples[0]?.t ?? NaN,
    to: samples[samples.length - 1]?.t ?? NaN,
    sessions: median(samples.map((s) => s.sessions)),
    viewers: median(samples.map((s) => s.viewers)),
    rss: median(samples.map((s) => s.rss)),
    pss: median(samples.map((s) => s.pss)),
    fds: median(samples.map((s) => s.fds)),
    threads: median(samples.map((s) => s.threads)),
  };
}

function slope(samples: Sample[]): number {
  if (samples.length < 2) return 0;
  const xs = samples.map((s) => s.t / 60);
  const ys = samples.map((s) => s.rss / MB);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/**
 * `warmupAt`: seconds since load start after which the load counts as warm (ramp done + warm-up).
 * Needs idle samples, and load samples after warmupAt.
 */
export function analyze(samples: Sample[], gcs: GcReading[], warmupAt: number, drained: boolean, relayDied: string | null): Analysis {
  const w = TOLERANCES.window;
  const idle = point('idle, before load', samples.filter((s) => s.phase === 'idle'));
  const steady = samples.filter((s) => s.phase === 'load' && s.t >= warmupAt);
  const warmSamples = steady.slice(0, w);
  // The end window never overlaps the warm-up one (short runs have few samples).
  const endSamples = steady.slice(Math.max(warmSamples.length, steady.length - w));
  const warm = point('after warm-up', warmSamples);
  const end = point('end of load', endSamples.length > 0 ? endSamples : warmSamples);
  const drainedSamples = samples.filter((s) => s.phase === 'drained');
  const after = drainedSamples.length > 0 ? point('drained, after load', drainedSamples) : null;
  const growth = (a: number, b: number): number => (100 * (b - a)) / a;
  const gcWarm = gcs.find((g) => g.label === 'warm');
  const gcEnd = gcs.find((g) => g.label === 'end');
  const gcIdle = gcs.find((g) => g.label === 'idle');
  const gcDrained = gcs.find((g) => g.label === 'drained');
  const js = (g: GcReading): number => g.heapUsed + g.external;
  const gcRssGrowthPercent = gcWarm && gcEnd ? growth(gcWarm.rss, gcEnd.rss) : NaN;
  const gcJsGrowthPercent = gcWarm && gcEnd ? growth(js(gcWarm), js(gcEnd)) : NaN;
  const gcDetail = (pick: (g: GcReading) => number, pct: number): string =>
    gcWarm && gcEnd ? `${mb(pick(gcWarm))} → ${mb(pick(gcEnd))} MB (${signed(pct, 1)} %)` : 'no warm-up and end checkpoints (run too short?)';
  const checks: Check[] = [
    { name: 'relay alive', ok: relayDied === null, detail: relayDied === null ? 'ran to the end' : `died: ${relayDied}` },
    {
      name: 'sessions and viewers drain to 0',
      ok: drained,
      detail: drained ? 'sessions_active = viewers_active = 0 after the load stopped' : 'still > 0 at the deadline',
    },
    {
      name: `fds after drain ≤ idle + ${TOLERANCES.fdSlack}`,
      ok: after !== null && after.fds <= idle.fds + TOLERANCES.fdSlack,
      detail: after ? `${idle.fds} idle → ${after.fds} drained (${signed(after.fds - idle.fds)})` : 'no drained sample',
    },
    {
      name: `RSS after full GC, warm-up → end: growth < ${TOLERANCES.rssGrowthPercent} %`,
      ok: gcRssGrowthPercent < TOLERANCES.rssGrowthPercent,
      detail: gcDetail((g) => g.rss, gcRssGrowthPercent),
    },
    {
      name: `JS memory (heap used + external) after full GC, warm-up → end: growth < ${TOLERANCES.jsGrowthPercent} %`,
      ok: gcJsGrowthPercent < TOLERANCES.jsGrowthPercent,
      detail: gcDetail(js, gcJsGrowthPercent),
    },
    {
      name: `JS memory after full GC, drained ≤ idle + ${TOLERANCES.drainedJsSlack / MB} MB`,
      ok: gcIdle !== undefined && gcDrained !== undefined && js(gcDrained) <= js(gcIdle) + TOLERANCES.drainedJsSlack,
      detail: gcIdle && gcDrained ? `${mb(js(gcIdle))} idle → ${mb(js(gcDrained))} MB drained (${signed((js(gcDrained) - js(gcIdle)) / MB, 1)} MB)` : 'no idle and drained checkpoints',
    },
  ];
  return {
    idle,
    warm,
    end,
    drained: after,
    rssGrowthPercent: growth(warm.rss, end.rss),
    pssGrowthPercent: growth(warm.pss, end.pss),
    gcRssGrowthPercent,
    gcJsGrowthPercent,
    rssSlopeMBPerMinute: slope(steady),
    fdOverheadWarm: warm.fds - warm.sessions - warm.viewers,
    fdOverheadEnd: end.fds - end.sessions - end.viewers,
    checks,
    flat: checks.every((c) => c.ok),
  };
}

const mb = (bytes: number): string => (bytes / MB).toFixed(1);
const signed = (n: number, digits = 0): string => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
const seconds = (ms: number): string => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${(ms / 1000).toFixed(0)} s`);
const list = (r: Record<string, number>): string =>
  Object.keys(r).length === 0 ? 'none' : Object.entries(r).map(([k, v]) => `${k || '(none)'} ${Math.round(v)}`).join(', ');

export function renderMarkdown(run: RunInfo, samples: Sample[], gcs: GcReading[], a: Analysis): string {
  const p = run.params;
  const m = run.machine;
  const lg = run.loadgen;
  const out: string[] = [];
  out.push(
    `Run of ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC: load ${seconds(run.durationMs)} after a ramp of ${(run.rampMs / 1000).toFixed(0)} s ` +
      `(${run.rampSessions} sessions, ${run.rampViewers} viewers), samples every ${seconds(run.sampleIntervalMs)}.`,
    '',
    `Machine: ${m.nproc} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}. Load average (1/5/15 min) before: ${run.loadBefore}; after: ${run.loadAfter}. ` +
      'The machine is shared (other test runs were going on), and the relay, the load generator and the runner share its 2 cores: the absolute numbers are noisy.',
    '',
    `**Verdict: ${a.flat ? 'flat' : 'NOT flat'}.**`,
    '',
    '| check | result | measured |',
    '|---|---|---|',
    ...a.checks.map((c) => `| ${c.name} | ${c.ok ? 'pass' : '**FAIL**'} | ${c.detail} |`),
    '',
    'Memory right after a forced full GC in the relay (SIGUSR2, see `soak/relay-gc-entry.mjs`):',
    '',
    '| checkpoint | t (s) | GC ms | RSS MB | PSS MB | heap used MB | heap total MB | external MB | array buffers MB | fds |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...gcs.map(
      (g) =>
        `| ${g.label} | ${g.t.toFixed(0)} | ${g.gcMs.toFixed(0)} | ${mb(g.rss)} | ${mb(g.pss)} | ${mb(g.heapUsed)} | ${mb(g.heapTotal)} | ${mb(g.external)} | ${mb(g.arrayBuffers)} | ${g.fds} |`,
    ),
    '',
    'Samples (no forced GC), medians per window:',
    '',
    '| window | t (s) | sessions | viewers | RSS MB | PSS MB | fds | threads |',
    '|---|---|---|---|---|---|---|---|',
    ...[a.idle, a.warm, a.end, ...(a.drained ? [a.drained] : [])].map(
      (pt) =>
        `| ${pt.label} | ${pt.from.toFixed(0)}…${pt.to.toFixed(0)} | ${pt.sessions} | ${pt.viewers} | ${mb(pt.rss)} | ${mb(pt.pss)} | ${pt.fds} | ${pt.threads} |`,
    ),
    '',
    `Medians of ${TOLERANCES.window} samples per window. Also measured: RSS growth warm-up → end without forced GC ${signed(a.rssGrowthPercent, 1)} %, PSS ${signed(a.pssGrowthPercent, 1)} %; ` +
      `RSS trend over the steady load (least squares) ${signed(a.rssSlopeMBPerMinute, 2)} MB/min; ` +
      `fds besides one per connection (fds − sessions − viewers) ${a.fdOverheadWarm} after warm-up, ${a.fdOverheadEnd} at the end; ` +
      `drained in ${run.drainMs === null ? 'n/a' : `${(run.drainMs / 1000).toFixed(1)} s`} after the load generator disconnected everything` +
      (run.missedSamples > 0 ? `; ${run.missedSamples} samples skipped (scrape failed or timed out).` : '.'),
    '',
  );
  out.push(
    `Parameters: ${p.sessions} sessions, ${p.viewersMin}–${p.viewersMax} viewers each (${Math.round(p.readOnlyFraction * 100)} % read-only), ` +
      `${p.typists} viewers typing at a time (a key every ${p.keyDelayMs[0]}–${p.keyDelayMs[1]} ms, Enter prints 2–13 lines), ` +
      `${p.burstsPerSecond} output bursts/s of 1–16 KB, ${p.viewerLeavesPerSecond} viewer leaves/s (replaced), ` +
      `${p.sessionEndsPerMinute} session ends/min (${Math.round(p.hostDropFraction * 100)} % host dropped without FIN, the rest FIN; replaced), ` +
      `${p.resizesPerSecond} resizes/s, ${p.relayUiPerSecond} relay UI keys/s (C-b i, C-b W); every new session first prints ${p.historyLines} lines of history (its scrollback is full from the start); ` +
      `${p.setupConcurrency} connection setups at a time. ` +
      `Relay: \`${run.relayArgs.join(' ')}\`.`,
    '',
  );
  if (lg) {
    out.push(
      `Load generator totals: ${lg.sessionsCreated} sessions created (${lg.hostSetupFailures} failed), ${lg.sessionsFinished} ended with FIN, ${lg.sessionsDropped} hosts dropped; ` +
        `${lg.viewersJoined} viewer joins (${lg.viewerJoinFailures} failed), ${lg.viewersLeft} leaves, ${lg.viewersEndedWithSession} disconnected with their session, ` +
        `${lg.viewersClosedUnexpectedly} disconnected unexpectedly, ${lg.hostsClosedUnexpectedly} hosts lost unexpectedly; ` +
        `${lg.keysTyped} keys typed (${lg.commands} commands), ${lg.bursts} output bursts, ${lg.resizes} resizes, ${lg.relayUiActions} relay UI actions; ` +
        `hosts sent ${mb(lg.hostBytes)} MB of terminal output, viewers received ${mb(lg.viewerBytes)} MB.` +
        (lg.errors.length > 0 ? ` Errors: ${lg.errors.map((e) => `\`${e}\``).join('; ')}.` : ''),
      '',
    );
  }
  const c = run.counters;
  out.push(
    `Relay counters at the end: sessions ended by reason: ${list(c['ended'] ?? {})}; limit refusals: ${list(c['limitRefusals'] ?? {})}; ` +
      `rate limited: ${list(c['rateLimited'] ?? {})}; auth failures: ${list(c['authFailures'] ?? {})}; protocol errors: ${list(c['protocolErrors'] ?? {})}. ` +
      `Relay log warnings/errors (tail of its stderr): ${list(run.relayLogEvents)}.`,
    '',
    'All samples (loop lag and CPU since the previous sample):',
    '',
    '| t (s) | phase | sessions | viewers | RSS MB | PSS MB | fds | loop lag p99 ms | loop lag max ms | relay CPU % | loadgen CPU % |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...samples.map(
      (s) =>
        `| ${s.t.toFixed(0)} | ${s.phase} | ${s.sessions} | ${s.viewers} | ${mb(s.rss)} | ${mb(s.pss)} | ${s.fds} | ${s.lagP99Ms.toFixed(1)} | ${s.lagMaxMs.toFixed(1)} | ${s.cpuPercent.toFixed(0)} | ${s.loadgenCpuPercent.toFixed(0)} |`,
    ),
  );
  return out.join('\n');
}

const NEW_SECTION = `## Soak

\`npm run soak\` runs the relay under a steady, churning load for 10 minutes and checks that its
memory and handle counts stay flat. See \`soak/run-soak.ts\`.

`;

/**
 * Puts `block` between the markers of the Soak section of `path`: creates the file or the section
 * when missing; otherwise only the text between the markers changes.
 */
export function writeSoakBlock(path: string, block: string): void {
  const wrapped = `${SOAK_BEGIN}\n${block}\n${SOAK_END}`;
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '# Reliability\n';
  const begin = text.indexOf(SOAK_BEGIN);
  const end = text.indexOf(SOAK_END);
  let next: string;
  const heading = /^## Soak\b.*$/m.exec(text);
  if (begin >= 0 && end > begin) next = text.slice(0, begin) + wrapped + text.slice(end + SOAK_END.length);
  else if (heading) {
    // The section exists without a results block: append one at its end (before the next "## ").
    const afterHeading = heading.index + heading[0].length;
    const nextSection = text.slice(afterHeading).search(/^## /m);
    const at = nextSection < 0 ? text.length : afterHeading + nextSection;
    next = `${text.slice(0, at).replace(/\n*$/, '\n\n')}${wrapped}\n\n${text.slice(at)}`.replace(/\n+$/, '\n');
  } else next = `${text.replace(/\n*$/, '\n\n')}${NEW_SECTION}${wrapped}\n`;
  writeFileSync(path, next);
}
