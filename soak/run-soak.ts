/**
 * `npm run soak [-- --duration 60s] [options]`: the relay under a long, churning load.
 *
 * 1. Builds dist/ if stale (scripts/build-if-needed.mjs), starts the relay as its own process
 *    (bench/lib/relay-process.ts: loopback, free ports, temp keys, no local session, keyless
 *    viewers allowed) through soak/relay-gc-entry.mjs (the same dist/main.js, plus a full GC on
 *    SIGUSR2), with the per-address limits off so the load is not throttled, `--log-level warn`,
 *    and a short `--reconnect-grace` so dropped hosts' sessions end within the run.
 * 2. Samples it idle (RSS/PSS, fds, threads from /proc; sessions, viewers, loop lag from /metrics)
 *    and takes the "idle" checkpoint (memory right after a forced full GC).
 * 3. Forks the load generator (soak/loadgen.ts, its own process): ramp to `--sessions` sessions with
 *    1–3 viewers each, then `--duration` of mixed typing, output, joins/leaves, session ends and
 *    resizes; a sample every `--sample-interval`; the "warm" checkpoint `--warmup` after the ramp,
 *    the "end" checkpoint right before the load stops.
 * 4. Stops the load (everything disconnects cleanly), waits with a deadline until the relay's
 *    sessions/viewers gauges are 0, lets it settle, samples it and takes the "drained" checkpoint,
 *    stops it.
 * 5. Verdict (report.ts), a JSON file in soak/artifacts/, Markdown on stdout, and — for the full
 *    run or with --write-doc — the results block of the Soak section of docs/reliability.md.
 *
 * Bounds: loopback only; everything it starts is stopped by itself (cleanup stack of
 * bench/lib/sys.ts, also on SIGINT/SIGTERM); the load generator exits on its own after
 * duration + 10 min. Exit status: 0 when the soak ran (whatever the verdict), 1 when it could not
 * run, 2 for bad arguments.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadAverage, machineInfo } from '../bench/lib/proc.js';
import { RelayProcess } from '../bench/lib/relay-process.js';
import { ForkedLoad } from '../bench/loadgen/forked-load.js';
import { errorText, freePort, log, makeTempDir, run, runCleanups, sleep } from '../bench/lib/sys.js';
import { byLabel, forcedGc, METRIC, RelayProbe, scrape, sumOf, type GcReading, type MetricFamilies, type Phase, type Sample } from './probe.js';
import { DEFAULT_PARAMS, type RampResult, type SoakCommand, type SoakParams, type SoakStats } from './protocol.js';
import { analyze, renderMarkdown, writeSoakBlock, type Analysis, type RunInfo } from './report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FULL_DURATION_MS = 10 * 60_000;
const DRAIN_DEADLINE_MS = 90_000;
const SETTLE_MS = 10_000;
const RECONNECT_GRACE = '15s';

const USAGE = `usage: npm run soak -- [--duration 10m] [--sessions 200] [--warmup 60s] [--sample-interval 10s]
                        [--write-doc | --no-write-doc] [--relay-entry dist/main.js] [--set NAME=NUMBER]… [--from-json FILE]
  --duration         load time after the ramp (e.g. 60s, 10m; a bare number is seconds; default 10m)
  --sessions         sessions kept alive (default ${DEFAULT_PARAMS.sessions}), each with 1–3 viewers
  --warmup           load time before the "warm" comparison window (default 60s, at most duration/3)
  --sample-interval  time between samples (default 10s)
  --write-doc        write the results into docs/reliability.md (default: only for runs of 10 min or more)
  --set NAME=NUMBER  override a numeric scenario parameter of soak/protocol.ts (repeatable),
                     e.g. --set resizesPerSecond=0 --set typists=40
  --from-json FILE   do not run: render the report of an earlier run (soak/artifacts/soak-*.json) again
`;

function parseDuration(text: string, what: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`${what}: expected a duration like 60s or 10m, got "${text}"`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Math.round(Number(m[1]) * unit);
}

interface Options {
  durationMs: number;
  warmupMs: number;
  sampleIntervalMs: number;
  params: SoakParams;
  writeDoc: boolean;
  relayEntry: string | null;
  /** Re-render the report of an earlier run (its soak/artifacts JSON) instead of running. */
  fromJson: string | null;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      duration: { type: 'string', default: '10m' },
      sessions: { type: 'string' },
      warmup: { type: 'string', default: '60s' },
      'sample-interval': { type: 'string', default: '10s' },
      'write-doc': { type: 'boolean' },
      'no-write-doc': { type: 'boolean' },
      'relay-entry': { type: 'string' },
      'from-json': { type: 'string' },
      set: { type: 'string', multiple: true },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const durationMs = parseDuration(values.duration, '--duration');
  const sampleIntervalMs = parseDuration(values['sample-interval'], '--sample-interval');
  const sessions = values.sessions === undefined ? DEFAULT_PARAMS.sessions : Number(values.sessions);
  if (!Number.isInteger(sessions) || sessions < 1 || sessions > 600) throw new Error('--sessions: an integer from 1 to 600');
  if (durationMs < 10_000 || durationMs > 4 * 3_600_000) throw new Error('--duration: from 10s to 4h');
  if (sampleIntervalMs < 1000 || sampleIntervalMs > 60_000) throw new Error('--sample-interval: from 1s to 60s');
  const params: SoakParams = { ...DEFAULT_PARAMS, sessions };
  for (const assignment of values.set ?? []) {
    const m = /^(\w+)=(\d+(?:\.\d+)?)$/.exec(assignment);
    const name = m?.[1] as keyof SoakParams | undefined;
    if (!m || !name || !(name in DEFAULT_PARAMS) || typeof DEFAULT_PARAMS[name] !== 'number') {
      throw new Error(`--set: expected NAME=NUMBER with a numeric parameter of soak/protocol.ts, got "${assignment}"`);
    }
    (params as unknown as Record<string, number>)[name] = Number(m[2]); // a numeric field, checked just above
  }
  if (params.sessions > 600 || params.setupConcurrency < 1 || params.setupConcurrency > 64 || params.viewersMax > 5 || params.viewersMin > params.viewersMax) {
    throw new Error('--set: sessions ≤ 600, 1 ≤ setupConcurrency ≤ 64, viewersMin ≤ viewersMax ≤ 5');
  }
  return {
    durationMs,
    warmupMs: Math.min(parseDuration(values.warmup, '--warmup'), Math.floor(durationMs / 3)),
    sampleIntervalMs,
    params,
    writeDoc: values['no-write-doc'] ? false : (values['write-doc'] ?? (values['from-json'] === undefined && durationMs >= FULL_DURATION_MS)),
    relayEntry: values['relay-entry'] ?? null,
    fromJson: values['from-json'] ?? null,
  };
}

function relayLogEvents(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: number; event?: string; msg?: string };
      const key = `${entry.level === undefined ? '' : entry.level >= 50 ? 'error ' : 'warn '}${entry.event ?? entry.msg ?? '?'}`;
      out[key] = (out[key] ?? 0) + 1;
    } catch {
      // a line cut by the tail
    }
  }
  return out;
}

function counters(metrics: MetricFamilies): Record<string, Record<string, number>> {
  return {
    ended: byLabel(metrics, METRIC.ended, 'reason'),
    limitRefusals: byLabel(metrics, METRIC.limitRefusals, 'limit'),
    rateLimited: byLabel(metrics, METRIC.rateLimited, 'kind'),
    authFailures: byLabel(metrics, METRIC.authFailures, 'reason'),
    protocolErrors: byLabel(metrics, METRIC.protocolErrors, 'code'),
    bytesReceived: byLabel(metrics, METRIC.bytesReceived, 'peer'),
    bytesSent: byLabel(metrics, METRIC.bytesSent, 'peer'),
  };
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${errorText(error)}\n${USAGE}`);
    return 2;
  }
  if (options.fromJson) {
    // What run-soak wrote itself (below): { run, analysis, gcs, samples }.
    const saved = JSON.parse(await readFile(resolve(options.fromJson), 'utf8')) as { run: RunInfo; analysis: Analysis; gcs: GcReading[]; samples: Sample[] };
    const markdown = renderMarkdown(saved.run, saved.samples, saved.gcs, saved.analysis);
    process.stdout.write(`${markdown}\n`);
    if (options.writeDoc) writeSoakBlock(join(ROOT, 'docs', 'reliability.md'), markdown);
    return 0;
  }
  const startedAt = new Date().toISOString();
  const loadBefore = loadAverage();
  if (!options.relayEntry) {
    log('building dist/ if needed');
    const built = await run(process.execPath, [join(ROOT, 'scripts', 'build-if-needed.mjs')], { cwd: ROOT, timeoutMs: 300_000 });
    if (built.code !== 0) throw new Error(`build failed: ${built.stderr}${built.stdout}`);
  }
  const work = await makeTempDir('soak-');
  const gcReport = join(work.path, 'gc.jsonl');
  // Read by soak/relay-gc-entry.mjs in the relay process (RelayProcess passes our environment on).
  process.env['SOAK_RELAY_ENTRY'] = options.relayEntry ? resolve(options.relayEntry) : join(ROOT, 'dist', 'main.js');
  process.env['SOAK_GC_REPORT'] = gcReport;

  const httpPort = await freePort();
  const relayArgs = [
    '--http-port', String(httpPort),
    '--log-level', 'warn',
    '--max-sessions-per-ip', '0',
    '--max-viewers-per-session', '0',
    '--connection-rate-limit', '0',
    '--auth-failure-limit', '0',
    '--max-unauthenticated-per-ip', '0',
    '--reconnect-grace', RECONNECT_GRACE,
  ];
  const relay = await RelayProcess.start({ entry: join(ROOT, 'soak', 'relay-gc-entry.mjs'), extraArgs: relayArgs });
  log(`relay pid ${relay.pid}: ssh 127.0.0.1:${relay.port}, http 127.0.0.1:${httpPort}`);
  let load: ForkedLoad<SoakCommand> | null = null;
  const probe = new RelayProbe(relay.pid, httpPort, () => load?.pid);
  const samples: Sample[] = [];
  const gcs: GcReading[] = [];
  let loadStart = Date.now();
  const t = (): number => (Date.now() - loadStart) / 1000;
  let lastMetrics: MetricFamilies = new Map();
  let missedSamples = 0;
  const take = async (phase: Phase, at = t()): Promise<void> => {
    try {
      const { sample, metrics } = await probe.sample(at, phase);
      samples.push(sample);
      lastMetrics = metrics;
      log(
        `${phase.padEnd(7)} t=${sample.t.toFixed(0).padStart(4)}s sessions=${sample.sessions} viewers=${sample.viewers} ` +
          `rss=${mb(sample.rss)}MB pss=${mb(sample.pss)}MB fds=${sample.fds} lag p99=${sample.lagP99Ms.toFixed(1)}ms cpu=${sample.cpuPercent.toFixed(0)}%`,
      );
    } catch (error) {
      // A slow scrape is noted and skipped; a relay that is gone ends the run (the callers check).
      missedSamples++;
      log(`sample skipped: ${errorText(error)}`);
    }
  };
  const checkpoint = async (label: string, at = t()): Promise<void> => {
    const reading = await forcedGc(relay.pid, gcReport, label, at);
    gcs.push(reading);
    log(
      `full GC (${label}): ${reading.gcMs.toFixed(0)} ms; rss=${mb(reading.rss)}MB heapUsed=${mb(reading.heapUsed)}MB ` +
        `external=${mb(reading.external)}MB fds=${reading.fds}`,
    );
  };

  let loadStats: SoakStats | null = null;
  let drainMs: number | null = null;
  let drained = false;
  let ramp: RampResult | null = null;
  let rampEnd = 0;
  try {
    // ---- idle baseline ----
    const metricsUp = Date.now() + 10_000;
    while (!(await scrape(httpPort).then(() => true, () => false))) {
      if (Date.now() > metricsUp) throw new Error('the relay did not answer GET /metrics within 10 s');
      await sleep(200);
    }
    await sleep(3000);
    for (let i = 0; i < 3; i++) {
      await take('idle', -6 + 2 * i);
      await sleep(2000);
    }
    await checkpoint('idle', 0);

    // ---- load: ramp, then duration; a sample every interval ----
    load = ForkedLoad.start<SoakCommand>(new URL('./loadgen.ts', import.meta.url), Math.ceil(options.durationMs / 1000) + 600, 'soak load generator');
    loadStart = Date.now();
    log(`ramping up to ${options.params.sessions} sessions with ${options.params.viewersMin}–${options.params.viewersMax} viewers each`);
    const rampFailure: { error: Error | null } = { error: null };
    let loadEnd = Number.POSITIVE_INFINITY;
    const started = load.send<RampResult>({ type: 'start', port: relay.port, params: options.params }).then(
      (result) => {
        ramp = result;
        rampEnd = t();
        loadEnd = Date.now() + options.durationMs;
        log(`ramp done in ${(result.ms / 1000).toFixed(1)} s: ${result.sessions} sessions, ${result.viewers} viewers`);
      },
      (error: unknown) => (rampFailure.error = error instanceof Error ? error : new Error(String(error))),
    );
    let warmCheckpoint = false;
    for (let next = loadStart + options.sampleIntervalMs; ; next += options.sampleIntervalMs) {
      while (Date.now() < Math.min(next, loadEnd) && rampFailure.error === null && relay.isRunning) await sleep(Math.min(250, next - Date.now()));
      if (rampFailure.error) throw rampFailure.error;
      if (!relay.isRunning || Date.now() >= loadEnd) break;
      await take(ramp === null ? 'ramp' : 'load');
      // The warm checkpoint: right after the first sample of the warm window.
      if (ramp !== null && !warmCheckpoint && t() >= rampEnd + options.warmupMs / 1000) {
        warmCheckpoint = true;
        await checkpoint('warm');
      }
    }
    await started;
    const finalRamp = ramp as RampResult | null; // assigned in the callback above
    if (finalRamp === null || finalRamp.sessions === 0) throw new Error('the load generator could not create any session');
    if (relay.isRunning) {
      await take('load'); // the end of the load, right before stopping it
      await checkpoint('end');
    }
    log('stopping the load');
    loadStats = await load.send<SoakStats>({ type: 'stop' });
    await load.stop();
    load = null;

    // ---- drain ----
    const stoppedAt = Date.now();
    while (relay.isRunning && Date.now() - stoppedAt < DRAIN_DEADLINE_MS) {
      const m = await scrape(httpPort).catch(() => null);
      if (m && sumOf(m, METRIC.sessions) === 0 && sumOf(m, METRIC.viewers) === 0) {
        drained = true;
        drainMs = Date.now() - stoppedAt;
        break;
      }
      await sleep(1000);
    }
    log(drained ? `drained in ${((drainMs ?? 0) / 1000).toFixed(1)} s` : `not drained after ${DRAIN_DEADLINE_MS / 1000} s`);
    if (relay.isRunning) {
      await sleep(SETTLE_MS);
      for (let i = 0; i < 3; i++) {
        await take('drained');
        if (i < 2) await sleep(2000);
      }
      await checkpoint('drained');
    }

    // ---- verdict and report ----
    const relayDied = relay.exitStatus;
    const analysis = analyze(samples, gcs, rampEnd + options.warmupMs / 1000, drained, relayDied);
    const info: RunInfo = {
      startedAt,
      machine: machineInfo(),
      loadBefore,
      loadAfter: loadAverage(),
      params: options.params,
      durationMs: options.durationMs,
      warmupMs: options.warmupMs,
      sampleIntervalMs: options.sampleIntervalMs,
      relayArgs: ['tmate-relay serve --listen 127.0.0.1 --ssh-port 0 --local-session off --allow-keyless', ...relayArgs.slice(2)],
      rampMs: finalRamp.ms,
      rampSessions: finalRamp.sessions,
      rampViewers: finalRamp.viewers,
      drainMs,
      missedSamples,
      relayDied,
      loadgen: loadStats,
      counters: counters(lastMetrics),
      relayLogEvents: relayLogEvents(relay.stderr),
    };
    const markdown = renderMarkdown(info, samples, gcs, analysis);
    const artifacts = join(ROOT, 'soak', 'artifacts');
    await mkdir(artifacts, { recursive: true });
    const jsonPath = join(artifacts, `soak-${startedAt.replace(/[:.]/g, '-')}.json`);
    await writeFile(jsonPath, JSON.stringify({ run: info, analysis, gcs, samples }, null, 2));
    process.stdout.write(`\n${markdown}\n\n`);
    log(`raw results: ${jsonPath}`);
    if (options.writeDoc) {
      writeSoakBlock(join(ROOT, 'docs', 'reliability.md'), markdown);
      log('wrote the results block of docs/reliability.md (Soak)');
    }
    log(`verdict: ${analysis.flat ? 'flat' : 'NOT flat'}`);
  } finally {
    if (load) await load.stop();
    await relay.stop().catch((error: unknown) => log(`relay: ${errorText(error)}`));
    await work.cleanup();
  }
  return 0;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

main()
  .catch((error: unknown) => {
    log(`soak could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await runCleanups();
    process.exit(code);
  });
