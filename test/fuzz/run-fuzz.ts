/**
 * `npm run fuzz`: runs every fuzz target (or those named on the command line) with many cases,
 * prints per-target case counts, time, heap and the seed, and exits non-zero on any failure.
 *
 *   npm run fuzz                                   100,000 cases per target, random seed
 *   npm run fuzz -- codec-out stream-decoder       only those targets
 *   FUZZ_RUNS=1000000 FUZZ_SEED=42 npm run fuzz    more cases, a fixed seed
 *   FUZZ_SEED=42 FUZZ_PATH="123:4:0" npm run fuzz -- codec-in   replay a reported counterexample
 *
 * Memory: the script runs with --expose-gc; around each target the heap is measured after a full
 * GC and a target whose run leaves more than HEAP_GROWTH_LIMIT behind fails (a leak per case would
 * show as megabytes over 100,000 cases). Peak RSS is printed at the end.
 *
 * Invariant: the seed is printed before anything runs, so every run can be replayed.
 */
import { TARGETS } from './targets/index.js';
import type { FuzzOutcome, FuzzTarget } from './fuzz-target.js';

const MiB = 1024 * 1024;
const HEAP_GROWTH_LIMIT = 64 * MiB;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got ${JSON.stringify(raw)}`);
  return n;
}

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MB`;

function selectTargets(names: readonly string[]): FuzzTarget[] {
  if (names.length === 0) return [...TARGETS];
  const unknown = names.filter((n) => !TARGETS.some((t) => t.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown target(s) ${unknown.join(', ')}; known: ${TARGETS.map((t) => t.name).join(', ')}`);
  }
  return TARGETS.filter((t) => names.includes(t.name));
}

async function main(): Promise<number> {
  const runs = envInt('FUZZ_RUNS', 100_000);
  const seed = envInt('FUZZ_SEED', Math.floor(Math.random() * 0x7fffffff));
  const path = process.env['FUZZ_PATH'] || undefined;
  const targets = selectTargets(process.argv.slice(2));
  if (!(globalThis as { gc?: unknown }).gc) console.log('warning: run with --expose-gc for exact heap figures (npm run fuzz does)');
  console.log(`fuzz: seed ${seed} (replay with FUZZ_SEED=${seed}), ${runs} cases per target, ${targets.length} targets`);
  console.log(`${'target'.padEnd(16)} ${'cases'.padStart(9)} ${'time'.padStart(8)}   heap after GC: before → after`);
  const failures: FuzzOutcome[] = [];
  let total = 0;
  const started = Date.now();
  for (const target of targets) {
    const before = heapAfterGc();
    const t0 = Date.now();
    let outcome: FuzzOutcome;
    try {
      outcome = await target.run({ numRuns: runs, seed, ...(path === undefined ? {} : { path }) });
    } catch (error) {
      outcome = { target: target.name, numRuns: 0, seed, failed: true, report: `the target itself failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` };
    }
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    const after = heapAfterGc();
    const growth = after - before;
    if (!outcome.failed && growth > HEAP_GROWTH_LIMIT) {
      outcome = { ...outcome, failed: true, report: `heap grew by ${mb(growth)} over the run (limit ${mb(HEAP_GROWTH_LIMIT)})` };
    }
    if (!outcome.failed && outcome.numRuns < runs && path === undefined) {
      outcome = { ...outcome, failed: true, report: `only ${outcome.numRuns} of ${runs} cases ran` };
    }
    total += outcome.numRuns;
    const verdict = outcome.failed ? 'FAILED' : 'ok';
    console.log(
      `${target.name.padEnd(16)} ${String(outcome.numRuns).padStart(9)} ${`${seconds}s`.padStart(8)}   ${mb(before)} → ${mb(after)} (${growth >= 0 ? '+' : ''}${mb(growth)})  ${verdict}`,
    );
    if (outcome.failed) {
      failures.push(outcome);
      console.log(`\n${outcome.report}\n`);
      console.log(`replay: FUZZ_SEED=${seed} FUZZ_PATH="<path from the report>" npm run fuzz -- ${target.name}\n`);
    }
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(
    `fuzz: ${total} cases in ${((Date.now() - started) / 1000).toFixed(0)}s, seed ${seed}, peak RSS ${mb(peakRss)}; ` +
      (failures.length === 0 ? 'all targets passed' : `${failures.length} failed: ${failures.map((f) => f.target).join(', ')}`),
  );
  return failures.length === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
