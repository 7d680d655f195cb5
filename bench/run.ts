/**
 * `npm run bench [-- FIGURE… ] [--quick|--full] [options]`: measures the relay against the
 * baseline (sshd + tmux) in the same run and writes docs/benchmarks.md. See bench/README.md.
 *
 * Exit status: 0 when every selected figure ran (whatever the numbers say), 1 when something could
 * not run (missing baseline or tmate, a figure that produced no result), 2 for bad arguments.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { echoFigure } from './figures/echo.js';
import { fanoutFigure } from './figures/fanout.js';
import { joinFigure } from './figures/join.js';
import { memoryFigure } from './figures/memory.js';
import { scaleFigure } from './figures/scale.js';
import { setupFigure } from './figures/setup.js';
import { throughputFigure } from './figures/throughput.js';
import { calibrateMachine, describeCalibration } from './lib/calibration.js';
import { runFigure, type BenchContext, type BenchOptions, type Figure } from './lib/figure.js';
import { loadAverage, machineInfo } from './lib/proc.js';
import { writeReport, type FigureResult } from './lib/report.js';
import { errorText, generateKey, log, makeTempDir, run, runCleanups } from './lib/sys.js';
import { allTargets, type TargetSpec } from './lib/targets.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// any: each figure has its own measurement type; the runner is generic over it and needs only the common shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFigure = Figure<any>;

const FIGURES: readonly AnyFigure[] = [echoFigure, joinFigure, setupFigure, throughputFigure, memoryFigure, fanoutFigure, scaleFigure];

const QUICK: BenchOptions = {
  mode: 'quick',
  echoSamples: 300,
  echoWarmup: 3000,
  joinSamples: 20,
  setupSamples: 5,
  throughputRuns: 1,
  throughputSeq: 8_000_000,
  fanoutViewers: [1, 10, 50],
  fanoutSeq: 1_000_000,
  memoryLevels: [1, 100, 1000],
  baselineMemoryLevels: [1, 100],
  busyMemorySessions: 100,
  busyMemoryFillMs: 25_000,
  scaleSessions: 1000,
  baselineScaleSessions: 200,
  profileMisses: false,
};

const FULL: BenchOptions = {
  ...QUICK,
  mode: 'full',
  echoSamples: 1000,
  joinSamples: 50,
  setupSamples: 15,
  throughputRuns: 3,
  baselineMemoryLevels: [1, 100, 1000],
  baselineScaleSessions: 1000,
  profileMisses: true,
};

/** Checks that every figure runs end to end; the numbers mean nothing. */
const SMOKE: BenchOptions = {
  ...QUICK,
  mode: 'smoke',
  echoSamples: 30,
  echoWarmup: 10,
  joinSamples: 3,
  setupSamples: 2,
  throughputRuns: 1,
  throughputSeq: 500_000,
  fanoutViewers: [1, 3],
  fanoutSeq: 100_000,
  memoryLevels: [1, 20],
  baselineMemoryLevels: [1, 20],
  busyMemorySessions: 5,
  busyMemoryFillMs: 2000,
  scaleSessions: 50,
  baselineScaleSessions: 50,
  profileMisses: false,
};

const USAGE = `Usage: npm run bench -- [FIGURE…] [options]

Figures: ${FIGURES.map((f) => f.id).join(', ')} (default: all)

Options:
  --quick              default: 15-20 minutes on 2 cores (one throughput run, baseline at
                       200 sessions for scale, no profiled re-runs)
  --full               more samples, baseline at full scale, profiled re-runs (20-45 minutes)
  --smoke              tiny counts: checks the bench runs (numbers meaningless; writes no report unless --out)
  --targets LIST       comma-separated target ids (default: all available):
                       relay+tmate, relay+engine, relay+local, sshd+tmux
  --relay-entry PATH   the relay build to measure (default: dist/main.js)
  --relay-node-options="FLAGS"
                       extra node/V8 flags for the relay process only, space-separated, after
                       an = (experiments, e.g. --relay-node-options="--max-semi-space-size=4";
                       shown in the report's "relay measured" line)
  --compare-entry PATH a second relay build, measured beside the first as extra targets
                       relay+tmate@B, relay+engine@B, relay+local@B (A/B experiments; with
                       echo, both builds type in turns in the same minutes); writes no
                       report unless --out
  --compare-node-options="FLAGS"
                       node/V8 flags for the …@B targets (B is this same build unless
                       --compare-entry names another): A/B of flags in the same minutes
  --samples N          echo samples (default 300 quick, 1000 full)
  --echo-warmup N      keystrokes typed before the echo samples, so that a relay is measured
                       with its code compiled as in a relay that has served for a while
                       (default 3000; their first 1000 are reported as the cold figure;
                       0 measures a fresh relay)
  --profile            re-run figures whose targets a relay missed under node --cpu-prof (default in --full)
  --no-profile         do not (default in --quick)
  --out PATH           report to update (default: docs/benchmarks.md); --no-write to skip
  -h, --help
`;

async function versionOf(command: string, args: string[], pattern: RegExp): Promise<string> {
  const r = await run(command, args, { timeoutMs: 5000 }).catch(() => null);
  const m = r ? pattern.exec(`${r.stdout}${r.stderr}`) : null;
  return m?.[1] ?? 'n/a';
}

async function gitDescribe(): Promise<string> {
  const head = await run('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { timeoutMs: 5000 }).catch(() => null);
  const dirty = await run('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no', '--', 'src'], { timeoutMs: 5000 }).catch(() => null);
  if (!head || head.code !== 0) return 'unknown';
  return `${head.stdout.trim()}${dirty && dirty.stdout.trim() !== '' ? ', src/ modified' : ''}`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        quick: { type: 'boolean' },
        full: { type: 'boolean' },
        smoke: { type: 'boolean' },
        targets: { type: 'string' },
        'relay-entry': { type: 'string' },
        'relay-node-options': { type: 'string' },
        'compare-entry': { type: 'string' },
        'compare-node-options': { type: 'string' },
        samples: { type: 'string' },
        'echo-warmup': { type: 'string' },
        profile: { type: 'boolean' },
        'no-profile': { type: 'boolean' },
        out: { type: 'string' },
        'no-write': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${errorText(error)}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const unknown = positionals.filter((p) => !FIGURES.some((f) => f.id === p));
  if (unknown.length > 0) {
    process.stderr.write(`unknown figure(s): ${unknown.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const options: BenchOptions = { ...(values.smoke ? SMOKE : values.full ? FULL : QUICK) };
  if ((values.smoke || values['compare-entry'] !== undefined || values['compare-node-options'] !== undefined) && values.out === undefined) values['no-write'] = true;
  if (values.samples !== undefined) {
    const n = Number(values.samples);
    if (!Number.isInteger(n) || n < 1) {
      process.stderr.write(`--samples must be a positive integer\n`);
      return 2;
    }
    options.echoSamples = n;
  }
  if (values['echo-warmup'] !== undefined) {
    const n = Number(values['echo-warmup']);
    if (!Number.isInteger(n) || n < 0) {
      process.stderr.write(`--echo-warmup must be a non-negative integer\n`);
      return 2;
    }
    options.echoWarmup = n;
  }
  if (values.profile) options.profileMisses = true;
  if (values['no-profile']) options.profileMisses = false;
  const figures = positionals.length > 0 ? FIGURES.filter((f) => positionals.includes(f.id)) : [...FIGURES];

  const relayEntry = resolve(ROOT, values['relay-entry'] ?? 'dist/main.js');
  if (!existsSync(relayEntry)) {
    process.stderr.write(`bench: the relay build ${relayEntry} does not exist; run npm run build first\n`);
    return 1;
  }
  const compareEntry = values['compare-entry'] === undefined ? undefined : resolve(ROOT, values['compare-entry']);
  if (compareEntry !== undefined && !existsSync(compareEntry)) {
    process.stderr.write(`bench: the relay build to compare, ${compareEntry}, does not exist\n`);
    return 2;
  }
  const artifacts = join(ROOT, 'bench', 'artifacts');
  await mkdir(artifacts, { recursive: true });
  const keyDir = await makeTempDir('bench-keys-');
  const key = await generateKey(keyDir.path, 'viewer');
  const ctx: BenchContext = { options, key, artifacts, relayEntry };

  // Targets: all available unless --targets narrows them. The baseline is required for ratios.
  const wanted = values.targets?.split(',').map((s) => s.trim()).filter(Boolean);
  const targets: TargetSpec[] = [];
  const skipped: string[] = [];
  let couldNotRun = false;
  const relayNodeOptions = values['relay-node-options']?.split(/\s+/).filter(Boolean) ?? [];
  const compareNodeOptions = values['compare-node-options']?.split(/\s+/).filter(Boolean);
  for (const target of allTargets({ relayEntry, relayNodeOptions, clientPublicKey: key.publicLine, compareEntry, compareNodeOptions })) {
    if (wanted && !wanted.includes(target.id)) continue;
    const why = await target.unavailable();
    if (why === null) {
      targets.push(target);
      continue;
    }
    skipped.push(`${target.label}: not measured: ${why}`);
    log(`${target.id}: skipped: ${why}`);
    if (target.baseline || target.id === 'relay+tmate') couldNotRun = true;
  }
  if (couldNotRun) {
    process.stderr.write(`bench: cannot run:\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`);
    await runCleanups();
    return 1;
  }

  const loadBefore = loadAverage();
  const calibration = describeCalibration(await calibrateMachine());
  log(`machine: ${calibration}`);
  const started = Date.now();
  const results: FigureResult[] = [];
  for (const figure of figures) {
    const result = await runFigure(figure, targets, ctx);
    result.notes.push(...skipped);
    results.push(result);
  }
  const info = {
    date: new Date().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
    mode: options.mode,
    machine: machineInfo(),
    calibration,
    versions: {
      OpenSSH: await versionOf('ssh', ['-V'], /OpenSSH_([^\s,]+)/),
      tmux: await versionOf('tmux', ['-V'], /tmux (\S+)/),
      tmate: await versionOf('tmate', ['-V'], /tmate (\S+)/),
    },
    relay:
      (relayEntry.startsWith(`${ROOT}/`) ? `${relayEntry.slice(ROOT.length + 1)} (checkout ${await gitDescribe()})` : `${relayEntry} (a build outside this checkout)`) +
      (relayNodeOptions.length > 0 ? `, node ${relayNodeOptions.join(' ')}` : '') +
      (compareEntry === undefined ? '' : `; build B (targets …@B): ${compareEntry}`) +
      (compareNodeOptions === undefined ? '' : `; targets …@B with node ${compareNodeOptions.join(' ') || '(no flags)'}`),
    loadBefore,
    loadAfter: loadAverage(),
    durationS: (Date.now() - started) / 1000,
    command: `npm run bench --${process.argv.slice(2).length ? ' ' + process.argv.slice(2).join(' ') : ''}`,
  };
  await writeFile(join(artifacts, `results-${Date.now()}.json`), JSON.stringify({ info, results }, null, 2));
  if (!values['no-write']) {
    const out = resolve(ROOT, values.out ?? 'docs/benchmarks.md');
    await writeReport(out, info, results);
    log(`wrote ${out}`);
  }
  for (const r of results) {
    for (const c of r.checks) log(`${r.id} ${c.target}: ${c.goal}: ${c.measured} → ${c.pass === null ? 'n/a' : c.pass ? 'met' : 'MISSED'}`);
  }
  await runCleanups();
  const failed = results.filter((r) => r.error);
  if (failed.length > 0) {
    process.stderr.write(`bench: could not run: ${failed.map((r) => `${r.id} (${r.error})`).join('; ')}\n`);
    return 1;
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  async (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await runCleanups();
    process.exit(1);
  },
);
